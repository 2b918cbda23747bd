package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Routes pushgate server frames to a {@link SessionListener} by looking at the {@code "op"} bytes only
 * ({@link PushgateFrames}); message frames go to the listener whole, unparsed. One per connection.
 */
final class PushgateSessionHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final SessionListener listener;

    PushgateSessionHandler(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        switch (PushgateFrames.op(content)) {
            case MESSAGE -> listener.onMessage(ctx.channel(), content);
            case ACK -> listener.onAck(ctx.channel(), PushgateFrames.id(content));
            case CONNECTED -> listener.onReady(ctx.channel());
            case ERROR -> listener.onError(ctx.channel(), Math.max(0, PushgateFrames.id(content)),
                    PushgateFrames.errorCode(content));
            default -> {
            }
        }
    }
}
