package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.transport.fallback.ClientPublishEndpoint;
import dev.pushgate.gateway.transport.fallback.RequestSlots;
import dev.pushgate.gateway.transport.poll.PollEndpoint;
import dev.pushgate.gateway.transport.sse.SseEndpoint;
import dev.pushgate.gateway.transport.sse.SseInboundDiscard;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;

/**
 * Assembles every connection's pipeline, and the WebSocket part of it after the handshake: the one place that adds
 * handlers. See {@link HandlerNames} for the order.
 */
public final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Idle HTTP keep-alive connections (and connections that never send a request) are closed after this. */
    private static final int HTTP_IDLE_SECONDS = 60;
    private static final SseInboundDiscard SSE_DISCARD = new SseInboundDiscard();
    /** Where Netty's handshake handler keeps the handshaker (the key is private to Netty; valueOf returns it). */
    private static final AttributeKey<WebSocketServerHandshaker> HANDSHAKER =
            AttributeKey.valueOf(WebSocketServerHandshaker.class, "HANDSHAKER");

    private final GatewayConfig config;
    private final SessionServices services;
    private final HttpRouter router;
    private final WebSocketServerProtocolConfig wsConfig;
    private final ConnectionLimiter limiter;
    private final OriginPolicy origins;
    private final HeartbeatWheel heartbeats;
    private final TlsContexts tls;
    private final OutboundBudget budget;
    private final WebSocketServerExtensionHandshaker deflate;
    /** Built once (immutable); null when no cross-origin calls are allowed. */
    private final CorsConfig cors;

    /** The plain listener's initializer; see {@link #withTls} for the TLS one. */
    public GatewayChannelInitializer(GatewayConfig config, SessionServices services, Routes routes,
                                     OutboundBudget budget) {
        this.config = config;
        this.budget = budget;
        this.tls = null;
        this.services = services;
        this.heartbeats = new HeartbeatWheel(config.heartbeat().interval().toNanos(),
                config.heartbeat().timeout().toNanos());
        this.deflate = deflate(config);
        this.origins = new OriginPolicy(config.ws().allowedOrigins());
        this.cors = origins.crossOrigin() ? corsConfig() : null;
        this.router = new HttpRouter(config.ws().echoEnabled(), origins, services.tokens(),
                withFallbacks(routes.endpoints(), config, services, budget), routes.files(), services.metrics());
        this.limiter = new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp(),
                services.metrics());
        this.wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(Routes.WS_PATH)
                // The router only lets /ws (and /ws/echo when enabled), with or without a query, get here.
                .checkStartsWith(true)
                .handshakeTimeoutMillis(config.ws().handshakeTimeout().toMillis())
                // Close frames are answered by WebSocketSessionHandler with the right code, exactly once.
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(false)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(config.ws().maxFrameSize())
                        .allowExtensions(config.ws().compression())
                        // Netty's decoder would send its own Close, or none at all after a bad client Close:
                        // WebSocketSessionHandler.exceptionCaught sends exactly one, with the right code.
                        .closeOnProtocolViolation(false)
                        .withUTF8Validator(true)
                        .build())
                .build();
    }

    /** The routes plus the SSE, long-poll and client-publish endpoints (they need the pipeline and the origins). */
    private java.util.Map<String, dev.pushgate.gateway.api.HttpEndpoint> withFallbacks(
            java.util.Map<String, dev.pushgate.gateway.api.HttpEndpoint> endpoints, GatewayConfig config,
            SessionServices services, OutboundBudget budget) {
        GatewayConfig.Fallback f = config.fallback();
        var all = new java.util.HashMap<>(endpoints);
        all.put(SseEndpoint.PATH, new SseEndpoint(services, origins,
                new RequestSlots("sse", f.sseMaxStreams(), f.sseMaxStreamsPerIp(), services.metrics()), budget,
                f.sseRetry(), config.heartbeat().interval(), GatewayChannelInitializer::streaming));
        all.put(PollEndpoint.PATH, new PollEndpoint(services, origins,
                new RequestSlots("poll", f.pollMaxPolls(), f.pollMaxPollsPerIp(), services.metrics()),
                f.pollTimeout()));
        all.put(ClientPublishEndpoint.PATH, new ClientPublishEndpoint(services, origins));
        return all;
    }

    /**
     * An SSE stream started (its response head is written): the connection's last response never ends, so the
     * HTTP timers and the one-request flow control go, and whatever the client still sends is discarded unread
     * (reading goes on, so a closed peer is noticed at once).
     */
    private static void streaming(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        p.addBefore(HandlerNames.HTTP_CODEC, HandlerNames.SSE_DISCARD, SSE_DISCARD);
        p.remove(HandlerNames.HTTP_IDLE);
        p.remove(HandlerNames.HTTP_TIMEOUT);
        p.remove(HandlerNames.HTTP_GATE);
        p.remove(HandlerNames.HTTP_FLOW);
        p.remove(HandlerNames.UPGRADE_HOLD);
    }

    private GatewayChannelInitializer(GatewayChannelInitializer plain, TlsContexts tls) {
        this.config = plain.config;
        this.services = plain.services;
        this.router = plain.router;
        this.wsConfig = plain.wsConfig;
        this.limiter = plain.limiter;
        this.origins = plain.origins;
        this.tls = tls;
        this.budget = plain.budget;
        this.heartbeats = plain.heartbeats;
        this.deflate = plain.deflate;
        this.cors = plain.cors;
    }

    /** The same pipeline behind TLS, sharing this one's router and connection limits. */
    public GatewayChannelInitializer withTls(TlsContexts tls) {
        return new GatewayChannelInitializer(this, tls);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast(HandlerNames.TLS, tls.current().newHandler(ch.alloc()));
        }
        p.addLast(HandlerNames.LIMITS, limiter);
        p.addLast(HandlerNames.HTTP_IDLE, new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS, TimeUnit.SECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent evt) {
                ctx.close();
            }
        });
        HttpFlowControlHandler flow = new HttpFlowControlHandler();
        p.addLast(HandlerNames.HTTP_GATE, flow.gate());
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        p.addLast(HandlerNames.HTTP_FLOW, flow);
        p.addLast(HandlerNames.UPGRADE_HOLD, new UpgradeResponseHold());
        p.addLast(HandlerNames.HTTP_TIMEOUT, new HttpRequestTimeoutHandler(config.http().requestTimeout().toNanos(),
                config.ws().handshakeTimeout().toNanos(), services.metrics()));
        p.addLast(HandlerNames.HTTP_AGGREGATOR, new BoundedHttpAggregator(config.http().maxBodySize()));
        if (cors != null) {
            p.addLast(HandlerNames.CORS, new CorsHandler(cors));
        }
        p.addLast(HandlerNames.HTTP_ROUTER, router);
        if (config.ws().compression()) {
            p.addLast(HandlerNames.WS_COMPRESSION, new WebSocketServerExtensionHandler(deflate));
        }
        p.addLast(HandlerNames.WS_PROTOCOL, new WebSocketServerProtocolHandler(wsConfig));
        p.addLast(HandlerNames.WS_AGGREGATOR, new WebSocketFrameAggregator(config.ws().maxMessageSize()));
        p.addLast(HandlerNames.WS_SESSION, new WebSocketSessionHandler(services, config, budget, this::upgraded));
    }

    /**
     * After the handshake, trim the pipeline to what a WebSocket needs: drop the HTTP-only handlers (with the flow
     * control goes the one-request-at-a-time reading: frames are read as they come, except while the channel is not
     * writable), forget the handshaker Netty keeps in a channel attribute (it is only used to answer Close frames,
     * which ws-session does), and add the frame guard (heartbeat, RSV check, read back-pressure).
     */
    private void upgraded(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        // The guard and the end of the flush hold first: removing the gate passes on the bytes it holds (frames sent
        // with the upgrade request), whose answers (or a 1002 and the close) must flush the 101 out ahead of them.
        p.addBefore(HandlerNames.WS_PROTOCOL, HandlerNames.WS_GUARD, new FrameGuardHandler(heartbeats));
        // The 101 is still unflushed: ws-session's first frame (or its flush) sends it.
        p.remove(HandlerNames.UPGRADE_HOLD);
        p.remove(HandlerNames.HTTP_IDLE);
        p.remove(HandlerNames.HTTP_TIMEOUT);
        p.remove(HandlerNames.HTTP_GATE);
        p.remove(HandlerNames.HTTP_FLOW);
        if (p.get(HandlerNames.HTTP_ROUTER) != null) {
            p.remove(HandlerNames.HTTP_ROUTER);
        }
        if (p.get(HandlerNames.CORS) != null) {
            p.remove(HandlerNames.CORS);
        }
        forget(ctx.channel().attr(HANDSHAKER));
    }

    /**
     * Removes a channel attribute, not only its value (an attribute set to null still holds its slot). Netty
     * deprecates {@code Attribute.remove} because of races with a concurrent {@code attr()}; here both run on the
     * channel's event loop.
     */
    @SuppressWarnings("deprecation")
    private static void forget(io.netty.util.Attribute<?> attribute) {
        attribute.remove();
    }

    /** CORS for the HTTP endpoints browsers call from other origins (only when origins are configured). */
    private CorsConfig corsConfig() {
        CorsConfigBuilder b = origins.any() ? CorsConfigBuilder.forAnyOrigin()
                : CorsConfigBuilder.forOrigins(origins.allowed().toArray(new String[0]));
        return b.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
                .allowedRequestHeaders(HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.CONTENT_TYPE)
                // A page told 429 by /api/client/publish may read when to try again.
                .exposeHeaders(HttpHeaderNames.RETRY_AFTER)
                .maxAge(600)
                .build();
    }

    /**
     * permessage-deflate; frames under the configured size go out uncompressed (not worth the CPU). Offers with
     * {@code server_no_context_takeover} or {@code server_max_window_bits=15} are accepted, other window sizes
     * declined ({@link DeflateWindowHandshaker}). The extension handshakers are shared (built once; each accepted
     * offer gets its own extension), only the extension handler is per connection.
     */
    private static WebSocketServerExtensionHandshaker deflate(GatewayConfig config) {
        int minSize = config.ws().compressionMinSize();
        WebSocketExtensionFilter skipSmall = new WebSocketExtensionFilter() {
            @Override
            public boolean mustSkip(WebSocketFrame frame) {
                return frame.content().readableBytes() < minSize;
            }
        };
        WebSocketExtensionFilterProvider filters = new WebSocketExtensionFilterProvider() {
            @Override
            public WebSocketExtensionFilter encoderFilter() {
                return skipSmall;
            }

            @Override
            public WebSocketExtensionFilter decoderFilter() {
                return WebSocketExtensionFilter.NEVER_SKIP;
            }
        };
        return new DeflateWindowHandshaker(new PerMessageDeflateServerExtensionHandshaker(
                6, false, 15, true, false, filters, config.ws().maxMessageSize()));
    }
}
