package io.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageCommandTest {

  @Test
  void sizesAreDecimalWithThreeSignificantDigitsAsDockerPrintsThem() {
    assertEquals("0B", ImageCommand.humanSize(0));
    assertEquals("999B", ImageCommand.humanSize(999));
    assertEquals("1kB", ImageCommand.humanSize(1000));
    assertEquals("558kB", ImageCommand.humanSize(558_400));
    assertEquals("4.26MB", ImageCommand.humanSize(4_261_000));
    assertEquals("12MB", ImageCommand.humanSize(12_000_000));
    assertEquals("1.5GB", ImageCommand.humanSize(1_500_000_000L));
  }

  @Test
  void tableColumnsAreAtLeastTenWideAndThreeApart() {
    String t = ImageCommand.table(List.of(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "SIZE"},
        new String[] {"busybox", "latest", "a416a98b71e2", "4.26MB"}));
    assertEquals("REPOSITORY   TAG       IMAGE ID       SIZE\n"
        + "busybox      latest    a416a98b71e2   4.26MB\n", t);
  }

  @Test
  void flagsKeepOperandsAndRepeatedValues() {
    Flags f = Flags.withOperands(new String[] {"--data-dir", "/d", "file.tar", "--env", "A=1", "--env=B=2", "app:1",
        "--", "--not-a-flag"}, Set.of("data-dir", "env"));
    assertEquals(List.of("file.tar", "app:1", "--not-a-flag"), f.operands());
    assertEquals(List.of("A=1", "B=2"), f.all("env"));
    assertEquals("B=2", f.get("env"));
    assertEquals("/d", f.get("data-dir"));
    assertThrows(UsageException.class, () -> Flags.parse(new String[] {"file.tar"}, Set.of()));
    assertThrows(UsageException.class, () -> Flags.withOperands(new String[] {"--cmd", "x"}, Set.of("env")));
  }
}
