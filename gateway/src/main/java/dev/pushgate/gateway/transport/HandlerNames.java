package dev.pushgate.gateway.transport;

/**
 * Names of the pipeline handlers, in pipeline order.
 *
 * <pre>
 * limits leaves every pipeline once the connection is counted (the count drops when the channel closes).
 * HTTP (before an upgrade):
 *   [tls] → limits → http-idle → http-gate → http-codec → http-flow → upgrade-hold → http-timeout → http-aggregator → [cors]
 *     → http-router → ws-compression → ws-protocol → ws-aggregator → ws-session
 *   (http-gate and http-flow are one {@link HttpFlowControlHandler}: one request in flight, the codec fed a slice
 *   at a time; http-timeout times each request as it is let through, so held requests are not timed; upgrade-hold
 *   keeps the 101 unflushed so it leaves with the first WebSocket frame, {@link UpgradeResponseHold}.)
 * WebSocket (after the handshake; Netty swaps the codec and the compression handler for its frame handlers):
 *   [tls] → wsdecoder → wsencoder → [deflate codec] → utf8 validator → ws-guard → ws-protocol → ws-aggregator
 *     → ws-session
 *   (ws-guard is one {@link FrameGuardHandler}: heartbeat, RSV check, read back-pressure.)
 * SSE (once a stream's response head is written: the HTTP timers and flow control go):
 *   [tls] → sse-discard → http-codec → http-aggregator → [cors] → http-router → ...
 * The separate metrics port (metrics.port, {@link MetricsChannelInitializer}):
 *   http-idle → http-gate → http-codec → http-flow → http-timeout → http-aggregator → http-router
 * </pre>
 */
public final class HandlerNames {
    public static final String TLS = "tls";
    public static final String LIMITS = "limits";
    public static final String HTTP_IDLE = "http-idle";
    public static final String CORS = "cors";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_GATE = "http-gate";
    public static final String HTTP_FLOW = "http-flow";
    public static final String HTTP_TIMEOUT = "http-timeout";
    public static final String UPGRADE_HOLD = "upgrade-hold";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String HTTP_ROUTER = "http-router";
    public static final String WS_COMPRESSION = "ws-compression";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_AGGREGATOR = "ws-aggregator";
    public static final String WS_GUARD = "ws-guard";
    public static final String WS_SESSION = "ws-session";
    public static final String SSE_DISCARD = "sse-discard";

    private HandlerNames() {
    }
}
