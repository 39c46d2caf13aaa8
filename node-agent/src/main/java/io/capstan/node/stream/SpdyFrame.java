package io.capstan.node.stream;

import java.util.List;
import java.util.Map;

/** The SPDY/3.1 frames (header names lower-case; multiple values of a name kept in order). */
sealed interface SpdyFrame {
    int FLAG_FIN = 0x01;
    int FLAG_UNIDIRECTIONAL = 0x02;
    int TYPE_SYN_STREAM = 1;
    int TYPE_SYN_REPLY = 2;
    int TYPE_RST_STREAM = 3;
    int TYPE_SETTINGS = 4;
    int TYPE_PING = 6;
    int TYPE_GOAWAY = 7;
    int TYPE_HEADERS = 8;
    int TYPE_WINDOW_UPDATE = 9;
    int RST_PROTOCOL_ERROR = 1;
    int RST_INVALID_STREAM = 2;
    int RST_REFUSED_STREAM = 3;
    int RST_CANCEL = 5;
    int RST_INTERNAL_ERROR = 6;
    int SETTINGS_INITIAL_WINDOW_SIZE = 7;

    /** Stream data; {@link #FLAG_FIN} half-closes the sender's side. */
    record Data(int streamId, int flags, byte[] data) implements SpdyFrame {}

    /** A stream opened by the sender. */
    record SynStream(int streamId, int associatedId, int priority, int flags, Map<String, List<String>> headers)
            implements SpdyFrame {}

    /** The answer to a {@link SynStream}. */
    record SynReply(int streamId, int flags, Map<String, List<String>> headers) implements SpdyFrame {}

    /** Aborts a stream. */
    record RstStream(int streamId, int status) implements SpdyFrame {}

    /** Connection settings: entries of (flags, id, value). */
    record Settings(int flags, List<Setting> entries) implements SpdyFrame {}

    /** One setting. */
    record Setting(int flags, int id, int value) {}

    /** A ping; the receiver echoes pings the peer started (the client's ids are odd). */
    record Ping(int id) implements SpdyFrame {}

    /** The sender opens no more streams. */
    record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {}

    /** More headers of a stream. */
    record Headers(int streamId, int flags, Map<String, List<String>> headers) implements SpdyFrame {}

    /** Grants the sender {@code delta} more bytes on a stream (0 = the connection). */
    record WindowUpdate(int streamId, int delta) implements SpdyFrame {}

    /** A control frame of a type this server does not know; ignored as the protocol says. */
    record Unknown(int type, int flags, byte[] payload) implements SpdyFrame {}
}
