package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Server heartbeat for one WebSocket: after {@code interval} without any inbound frame it sends a Ping; if still
 * nothing (not even the Pong) has arrived {@code timeout - interval} after the Ping was written out, it fires
 * {@link #TIMEOUT} so the session handler closes with 4000. Per channel.
 */
final class HeartbeatHandler extends IdleStateHandler {
    /** Fired down the pipeline when the peer is considered dead. */
    static final Object TIMEOUT = new Object() {
        @Override
        public String toString() {
            return "HEARTBEAT_TIMEOUT";
        }
    };

    private final long graceNanos;
    private long lastReadNanos = System.nanoTime();
    private boolean awaitingAnswer;

    HeartbeatHandler(long intervalNanos, long timeoutNanos) {
        super(intervalNanos, 0, 0, TimeUnit.NANOSECONDS);
        this.graceNanos = timeoutNanos - intervalNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = System.nanoTime();
        awaitingAnswer = false;
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (awaitingAnswer) {
            return;
        }
        awaitingAnswer = true;
        // The grace starts when the Ping has left for the socket, not when it was queued: behind a backlog of
        // messages a healthy client that is busy reading them would otherwise be declared dead. A socket that never
        // takes the Ping is the slow-consumer policy's business (4001), not the heartbeat's.
        ctx.writeAndFlush(new PingWebSocketFrame()).addListener(written -> {
            if (!written.isSuccess()) {
                return;
            }
            long pingSent = System.nanoTime();
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive() && lastReadNanos < pingSent) {
                    ctx.fireUserEventTriggered(TIMEOUT);
                }
            }, graceNanos, TimeUnit.NANOSECONDS);
        });
    }
}
