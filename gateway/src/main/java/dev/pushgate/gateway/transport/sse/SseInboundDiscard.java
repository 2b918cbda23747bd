package dev.pushgate.gateway.transport.sse;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * In front of the HTTP codec of a connection that carries an SSE stream: the stream is the connection's last
 * response, so whatever the client still sends is dropped unread (reading goes on, so a closed peer is noticed).
 */
@ChannelHandler.Sharable
public final class SseInboundDiscard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
