package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.SessionListener;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail of a WebSocket client pipeline: keeps the first error (a handshake timeout, or the server's Close frame
 * with its code), closes the connection on it, and reports the close to the {@link SessionListener} exactly once.
 * Frames nobody else wanted (binary, close) end here and are released. The one {@code exceptionCaught} that logs.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final SessionListener listener;
    private Throwable firstError;

    ConnectionGuard(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && firstError == null) {
            firstError = new WebSocketClientHandshakeException("handshake timed out");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                if (firstError == null) {
                    firstError = new ServerCloseException(close.statusCode(), close.reasonText());
                }
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), null))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (firstError == null) {
            firstError = cause;
            log.debug("connection error: channel={} error={}", ctx.channel().id(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.onClosed(ctx.channel(), firstError);
        ctx.fireChannelInactive();
    }
}
