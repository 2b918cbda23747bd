package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.session.Session;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.protocol.ClientMessage;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
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
    private final String nodeId;
    private final long pingSeconds;
    private final long slowGraceNanos;
    private final Consumer<ChannelHandlerContext> onUpgrade;
    private WebSocketConnection connection;
    private Session session;
    private String closeReceived;

    WebSocketSessionHandler(SessionServices services, String nodeId, long pingSeconds, long slowGraceNanos,
                            Consumer<ChannelHandlerContext> onUpgrade) {
        this.services = services;
        this.nodeId = nodeId;
        this.pingSeconds = pingSeconds;
        this.slowGraceNanos = slowGraceNanos;
        this.onUpgrade = onUpgrade;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            onUpgrade.accept(ctx);
            String id = "c-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            connection = new WebSocketConnection(ctx, id, services.metrics(), slowGraceNanos);
            session = new Session(id, connection, connection, services);
            services.metrics().connectionOpened();
            log.debug("connection opened: id={} remote={}", id, ctx.channel().remoteAddress());
            connection.send(ProtocolCodec.connected(id, nodeId, pingSeconds));
        } else if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            services.metrics().handshakeFailure("timeout");
        } else if (evt == HeartbeatHandler.TIMEOUT && connection != null) {
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
            if (frame instanceof TextWebSocketFrame) {
                onText(frame.content());
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

    /** The client's Close: answer with the same code (RFC 6455 §5.5.1) unless ours went first, then close. */
    private void onClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode();
        closeReceived = code < 0 ? "1005" : Integer.toString(code);
        if (connection.closeSent() != null) {
            ctx.close();
            return;
        }
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.closed();
            CloseCode sent = connection.closeSent();
            String code = sent != null ? Integer.toString(sent.code()) : closeReceived != null ? closeReceived : "abnormal";
            services.metrics().connectionClosed(code);
            log.debug("connection closed: id={} code={}", session.id(), code);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String id = session != null ? session.id() : "-";
        if (cause instanceof TooLongFrameException && connection != null) {
            log.debug("message too big: id={}", id);
            connection.close(CloseCode.MESSAGE_TOO_BIG);
        } else if (cause instanceof CorruptedWebSocketFrameException e) {
            // Netty's decoder or UTF-8 validator has already sent the matching Close (1002, 1007 or 1009).
            log.debug("protocol violation: id={} status={} message={}", id, e.closeStatus(), e.getMessage());
            ctx.close();
        } else if (cause instanceof IOException) {
            log.debug("connection error: id={} error={}", id, cause.toString());
            ctx.close();
        } else {
            log.warn("unexpected error on connection: id={}", id, cause);
            if (connection != null) {
                connection.close(CloseCode.INTERNAL_ERROR);
            } else {
                ctx.close();
            }
        }
    }

    /** The session, once the handshake completed (for shutdown). */
    Session session() {
        return session;
    }
}
