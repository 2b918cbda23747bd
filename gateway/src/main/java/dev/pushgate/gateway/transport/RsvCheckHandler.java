package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Fails the connection (1002) on a frame whose RSV bits are still set after the negotiated extensions took theirs.
 * Netty's decoder lets RSV bits through once extensions are allowed (needed for permessage-deflate), so without this
 * a frame with RSV1 and no compression negotiated, or RSV2/RSV3 at all, would be accepted (RFC 6455 §5.2). Sits
 * after the deflate decoder, which clears RSV1 on the frames it inflates. Shared.
 */
@ChannelHandler.Sharable
final class RsvCheckHandler extends ChannelInboundHandlerAdapter {
    /** Fired down the pipeline so the session handler closes with 1002. */
    static final Object VIOLATION = new Object() {
        @Override
        public String toString() {
            return "RSV_VIOLATION";
        }
    };

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
            frame.release();
            ctx.fireUserEventTriggered(VIOLATION);
            return;
        }
        super.channelRead(ctx, msg);
    }
}
