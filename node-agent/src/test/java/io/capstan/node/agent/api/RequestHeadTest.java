package io.capstan.node.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static RequestHead parse(String s) throws Exception {
        return RequestHead.read(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void parsesMethodPathQueryAndHeadersAndLeavesTheRest() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(("GET /exec/ns/p%2Dx/c?command=echo&command=a+b&stdout=True HTTP/1.1\r\n"
                + "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-A: 1\r\nx-a: 2\r\n\r\nREST")
                .getBytes(StandardCharsets.ISO_8859_1));
        RequestHead h = RequestHead.read(in);
        assertEquals("GET", h.method());
        assertEquals(List.of("exec", "ns", "p-x", "c"), h.segments());
        assertEquals(List.of("echo", "a b"), h.params("command"));
        assertTrue(h.flag("stdout"));
        assertEquals("1, 2", h.header("X-A"));
        assertTrue(h.isUpgrade());
        assertEquals("REST", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void emptyConnectionIsNoRequest() throws Exception {
        assertNull(parse(""));
    }

    @Test
    void badInputIsA400() {
        for (String bad : List.of("GARBAGE\r\n\r\n", "GET /x\r\n\r\n", "get /x HTTP/1.1\r\n\r\n",
                "GET x HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1\r\nno-colon\r\n\r\n", "GET /x HTTP/1.1\r\nA: b\r\n",
                "GET /x?a=%zz HTTP/1.1\r\n\r\n", "GET /" + "a".repeat(RequestHead.MAX_LINE) + " HTTP/1.1\r\n\r\n",
                "GET /x HTTP/1.1\r\n" + "A: b\r\n".repeat(RequestHead.MAX_HEADERS + 1) + "\r\n")) {
            ApiError e = assertThrows(ApiError.class, () -> parse(bad), bad);
            assertEquals(400, e.code());
        }
    }
}
