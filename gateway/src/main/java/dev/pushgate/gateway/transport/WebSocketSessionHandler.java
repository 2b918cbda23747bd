package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.session.ClientRateLimit;
import dev.pushgate.gateway.session.Session;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.session.TokenBucket;
import dev.pushgate.protocol.ClientMessage;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Application frames of one WebSocket: the session is born on {@code HandshakeComplete}, text frames become
 * protocol messages, and everything that ends the connection (Close frames, oversized messages, binary frames,
 * heartbeat timeout, faults) ends it with its documented close code. Per channel.
 */
final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final SessionServices services;
    private final GatewayConfig config;
    private final Consumer<ChannelHandlerContext> onUpgrade;
    private final OutboundBudget budget;
    private WebSocketConnection connection;
    private Session session;
    private TokenBucket rate;
    private boolean echo;
    private String closeReceived;
    private boolean ended;

    WebSocketSessionHandler(SessionServices services, GatewayConfig config, OutboundBudget budget,
                            Consumer<ChannelHandlerContext> onUpgrade) {
        this.budget = budget;
        this.services = services;
        this.config = config;
        this.onUpgrade = onUpgrade;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
            String id = "c-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            connection = new WebSocketConnection(ctx, id, services.metrics(), config.outbound().slowGrace().toNanos(),
                    config.ws().compressionMinSize(), budget, config.fanout().corkThreshold(),
                    config.fanout().flushBytes());
            session = new Session(id, connection, connection, services);
            // hasAttr first: attr() would add an (empty) attribute to every connection that came without a token.
            var claims = ctx.channel().hasAttr(HttpRouter.CLAIMS) ? ctx.channel().attr(HttpRouter.CLAIMS).getAndSet(null)
                    : null;
            if (claims != null) {
                session.authenticated(claims);
            }
            rate = services.rateLimit().connectionBucket();
            echo = new QueryStringDecoder(hs.requestUri()).path().equals(Routes.ECHO_PATH);
            services.metrics().connectionOpened();
            if (log.isDebugEnabled()) {
                log.debug("connection opened: id={} remote={} echo={}", id, ctx.channel().remoteAddress(), echo);
            }
            if (!echo) {
                connection.send(ProtocolCodec.connected(id, config.nodeId(), config.heartbeat().interval().toSeconds()));
            }
            // Last: trimming the pipeline hands on bytes read with the upgrade request, which need the session.
            onUpgrade.accept(ctx);
            // The 101 and connected were written unflushed (UpgradeResponseHold held the flushes): one send for both
            // (unless answers to early frames flushed them already), or for the 101 alone on the echo endpoint.
            ctx.flush();
        } else if (evt == FrameGuardHandler.RSV_VIOLATION && connection != null) {
            log.debug("protocol violation: id={} reason=rsv bits", session.id());
            connection.fail(CloseCode.PROTOCOL_ERROR);
        } else if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            services.metrics().handshakeFailure("timeout");
        } else if (evt == FrameGuardHandler.TIMEOUT && connection != null) {
            log.debug("heartbeat timeout: id={}", session.id());
            connection.close(CloseCode.HEARTBEAT_TIMEOUT);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame) || session == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                services.metrics().payloadReceived(frame.content().readableBytes());
            }
            if (echo && (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
                ctx.writeAndFlush(frame.retain(), ctx.voidPromise());
            } else if (frame instanceof TextWebSocketFrame) {
                if (admit()) {
                    onText(frame.content());
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                onClose(ctx, close);
            } else if (frame instanceof BinaryWebSocketFrame) {
                connection.close(CloseCode.UNSUPPORTED_DATA);
            }
            // Pong frames only prove liveness (the heartbeat handler saw them); nothing else to do.
        } finally {
            frame.release();
        }
    }

    /** The client rate limit ({@link ClientRateLimit}): refuse over the rate, close a client that keeps flooding. */
    private boolean admit() {
        ClientRateLimit.Verdict verdict = services.rateLimit().admit(rate);
        if (verdict == ClientRateLimit.Verdict.ALLOWED) {
            return true;
        }
        if (verdict == ClientRateLimit.Verdict.FLOODING) {
            log.debug("closing flooding client: id={}", session.id());
            connection.close(CloseCode.RATE_LIMITED);
        } else {
            session.onError(new ProtocolException(ErrorCode.RATE_LIMITED, "too many messages, slow down"));
        }
        return false;
    }

    private void onText(ByteBuf content) {
        ClientMessage message;
        try {
            if (content.hasArray()) {
                message = ProtocolCodec.decode(content.array(), content.arrayOffset() + content.readerIndex(),
                        content.readableBytes());
            } else {
                message = ProtocolCodec.decode(ByteBufUtil.getBytes(content));
            }
        } catch (ProtocolException e) {
            session.onError(e);
            return;
        }
        session.onMessage(message);
    }

    /**
     * The client's Close: answer with the same code (RFC 6455 §5.5.1) unless ours went first, then close. A code
     * RFC 6455 §7.4 does not allow is a protocol error (1002). Netty's decoder has already refused the codes it knows
     * to be invalid and reasons that are not UTF-8 (see {@link #exceptionCaught}); it lets 5000 and up through.
     */
    private void onClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode();
        if (code >= 0 && !CloseCode.allowedOnWire(code)) {
            log.debug("protocol violation: id={} reason=close code {}", session.id(), code);
            connection.fail(CloseCode.PROTOCOL_ERROR);
            return;
        }
        closeReceived = code < 0 ? "1005" : Integer.toString(code);
        if (connection.closeSent() != null) {
            ctx.close();
            return;
        }
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null && ctx.channel().isWritable()) {
            connection.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ended();
        super.channelInactive(ctx);
    }

    /**
     * Ends the session, once. Called on {@code channelInactive}, and on an exception once the channel is closed:
     * Netty's deflate decoder inflates what is left when the channel goes inactive and, on corrupt data, raises from
     * its own {@code channelInactive}, which then never reaches this handler.
     */
    private void ended() {
        if (session == null || ended) {
            return;
        }
        ended = true;
        session.closed();
        CloseCode sent = connection.closeSent();
        String code = sent != null ? Integer.toString(sent.code()) : closeReceived != null ? closeReceived : "abnormal";
        services.metrics().connectionClosed(code);
        log.debug("connection closed: id={} code={}", session.id(), code);
    }

    /**
     * The one place that logs a connection's exceptions (this is the last handler, before and after the upgrade).
     * What a client can cause is logged at DEBUG without a stack trace and, on a WebSocket, ends it with its close
     * code (Netty's decoders only raise; {@code closeOnProtocolViolation} is off so that exactly one Close, with the
     * right code, is sent from here). Anything else is a fault of the gateway: WARN with the stack trace, and 1011.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String id = session != null ? session.id() : "-";
        if (cause instanceof TooLongFrameException && connection != null) {
            log.debug("message too big: id={}", id);
            connection.close(CloseCode.MESSAGE_TOO_BIG);
        } else if (cause.getCause() instanceof javax.net.ssl.SSLException) {
            services.metrics().handshakeFailure("tls");
            log.debug("tls handshake failed: remote={} error={}", ctx.channel().remoteAddress(), cause.getCause().toString());
            ctx.close();
        } else if (cause instanceof IOException) {
            log.debug("connection error: id={} error={}", id, cause.toString());
            ctx.close();
        } else if (ClientFaults.clientCaused(cause)) {
            if (connection != null) {
                CloseCode code = ClientFaults.closeCode(cause);
                log.debug("protocol violation: id={} code={} error={}", id, code.code(), cause.toString());
                connection.fail(code);
            } else {
                log.debug("bad request: remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
                ctx.close();
            }
        } else {
            log.warn("unexpected error on connection: id={}", id, cause);
            if (connection != null) {
                connection.close(CloseCode.INTERNAL_ERROR);
            } else {
                ctx.close();
            }
        }
        if (!ctx.channel().isActive()) {
            ended();
        }
    }

    /** The session, once the handshake completed (for shutdown). */
    Session session() {
        return session;
    }
}
