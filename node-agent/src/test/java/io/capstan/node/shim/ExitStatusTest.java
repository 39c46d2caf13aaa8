package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void parsesAnExitAndASignal() {
        assertEquals(new ExitStatus(137, 9, Instant.parse("2026-11-28T00:17:09.669794202Z"), null, false),
                ExitStatus.parse("exit=137 signal=9 finished=2026-11-28T00:17:09.669794202Z\n"));
    }

    @Test
    void parsesASetupError() {
        ExitStatus s = ExitStatus.parse("exit=125 signal=0 finished=2026-11-28T00:17:09.000000000Z\n"
                + "error=capstan-shim: exec \"nosuch\": No such file or directory (errno 2)\n");
        assertEquals(125, s.exitCode());
        assertEquals("capstan-shim: exec \"nosuch\": No such file or directory (errno 2)", s.error());
    }

    @Test
    void rejectsSomethingElse() {
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.parse("12345\n"));
    }
}
