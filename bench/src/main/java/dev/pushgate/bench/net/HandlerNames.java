package dev.pushgate.bench.net;

/**
 * Names of the client pipeline handlers. A WebSocket connection, head to tail:
 * <pre>
 *   http-codec → http-aggregator → ws-protocol → ws-frame-aggregator → session → guard
 *   (the handshake removes http-aggregator and swaps http-codec for the WebSocket frame codec)
 * </pre>
 * An HTTP publish connection: {@code http-codec → http-aggregator → http-publish}. An SSE subscriber:
 * {@code http-codec → session → guard}; a long-poll subscriber: {@code http-codec → http-aggregator → session →
 * guard}.
 */
public final class HandlerNames {
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_FRAME_AGGREGATOR = "ws-frame-aggregator";
    public static final String SESSION = "session";
    public static final String GUARD = "guard";
    public static final String HTTP_PUBLISH = "http-publish";

    private HandlerNames() {
    }
}
