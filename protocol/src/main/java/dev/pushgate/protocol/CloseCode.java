package dev.pushgate.protocol;

/**
 * Every WebSocket close code the gateway sends. Codes 4000–4499 mean "reconnect (with backoff)"; codes
 * 4500–4999 are terminal: reconnecting unchanged will fail the same way. The RFC 6455 codes keep their meaning.
 */
public enum CloseCode {
    /** Normal closure, e.g. the answer to a client's own Close. */
    NORMAL(1000, true),
    /** The node is shutting down or draining; reconnect to another node. */
    GOING_AWAY(1001, true),
    /** The peer broke RFC 6455 framing (e.g. RSV bits, bad opcode, unmasked frame). */
    PROTOCOL_ERROR(1002, false),
    /** A binary frame: the gateway speaks JSON text frames only. */
    UNSUPPORTED_DATA(1003, false),
    /** A text frame that is not valid UTF-8. */
    INVALID_PAYLOAD(1007, false),
    /** A policy refused the connection (e.g. Origin not allowed, too many connections). */
    POLICY_VIOLATION(1008, false),
    /** A frame or message larger than the configured maximum. */
    MESSAGE_TOO_BIG(1009, false),
    /** An unexpected fault in the gateway. */
    INTERNAL_ERROR(1011, true),
    /** No frame (not even a pong) arrived within the heartbeat timeout. */
    HEARTBEAT_TIMEOUT(4000, true),
    /** The client could not keep up with its messages and its outbound budget ran out. */
    SLOW_CONSUMER(4001, true),
    /** The client sent more messages per second than allowed. */
    RATE_LIMITED(4002, true),
    /** The connection was not authenticated or its token was refused. */
    UNAUTHORIZED(4500, false),
    /** The connection's token expired and was not refreshed in time: reconnect only with a fresh token. */
    TOKEN_EXPIRED(4501, false);

    private final int code;
    private final boolean reconnect;

    CloseCode(int code, boolean reconnect) {
        this.code = code;
        this.reconnect = reconnect;
    }

    /** The numeric code sent in the Close frame. */
    public int code() {
        return code;
    }

    /** Whether a client should reconnect (with backoff) after this close. */
    public boolean reconnect() {
        return reconnect;
    }

    /**
     * Whether a peer may send {@code code} in a Close frame (RFC 6455 §7.4): 1000–1003 and 1007–1014 (registered),
     * 3000–4999 (libraries and applications). 0–999, 1004–1006, 1015, 1016–2999 and 5000 up are reserved, never
     * sent on the wire or unassigned; a Close carrying one is a protocol error.
     */
    public static boolean allowedOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** The documented reason text sent with the code (short, no internals). */
    public String reason() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
