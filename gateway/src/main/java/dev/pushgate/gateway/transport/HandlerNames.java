package dev.pushgate.gateway.transport;

/**
 * Names of the pipeline handlers, in pipeline order.
 *
 * <pre>
 * HTTP (before an upgrade):
 *   http-idle → http-codec → http-aggregator → http-router → ws-compression → ws-protocol → ws-aggregator → ws-session
 * WebSocket (after the handshake; Netty swaps the codec and the compression handler for its frame handlers):
 *   wsdecoder → wsencoder → [deflate codec] → ws-utf8 → heartbeat → ws-protocol → ws-aggregator → ws-session
 * </pre>
 */
public final class HandlerNames {
    public static final String HTTP_IDLE = "http-idle";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String HTTP_ROUTER = "http-router";
    public static final String WS_COMPRESSION = "ws-compression";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_AGGREGATOR = "ws-aggregator";
    public static final String HEARTBEAT = "heartbeat";
    public static final String WS_SESSION = "ws-session";

    private HandlerNames() {
    }
}
