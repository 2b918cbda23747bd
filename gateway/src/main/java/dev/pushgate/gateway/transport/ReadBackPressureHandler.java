package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading a WebSocket while its channel is not writable (its unsent bytes are over the high watermark) and
 * reads again once it is: a client that sends but does not read its answers cannot make them pile up. Added after
 * the upgrade, when {@link HttpFlowControlHandler} (which does the same for HTTP) is gone. Stateless and shared.
 */
@ChannelHandler.Sharable
final class ReadBackPressureHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
