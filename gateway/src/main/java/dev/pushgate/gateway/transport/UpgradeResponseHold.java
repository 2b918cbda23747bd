package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Sends the {@code 101 Switching Protocols} and the session's first frame ({@code connected}) in one socket write
 * (ADR 0020). Netty's handshaker writes and flushes the 101 and announces the WebSocket only once that write has
 * completed, so the first frame would need a second {@code send}. Here the 101 is handed on unflushed, its promise
 * completed at once (the handshake completes in the same call, and {@code ws-session} writes {@code connected}
 * behind it), and the handshaker's flush is held back: the flush after {@code connected} sends both. The handler
 * leaves the pipeline with the HTTP handlers at the upgrade ({@link GatewayChannelInitializer}); {@code ws-session}
 * flushes once the session is set up, so a 101 with no frame behind it (the echo endpoint) goes out too.
 * <p>
 * Only a 101 written on an active channel is held; if writing it fails later the channel is closed (the session
 * born by then ends on {@code channelInactive} as any other). Every other response passes untouched. Sits right
 * behind the HTTP codec. Per channel; event loop only.
 */
final class UpgradeResponseHold extends ChannelOutboundHandlerAdapter {
    private boolean holding;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response
                && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                && ctx.channel().isActive()) {
            holding = true;
            ctx.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            promise.trySuccess();
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        if (holding) {
            // The 101's flush: the first frame's flush sends it.
            return;
        }
        ctx.flush();
    }
}
