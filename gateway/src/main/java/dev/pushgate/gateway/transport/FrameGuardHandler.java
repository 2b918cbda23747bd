package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The checks every inbound WebSocket frame passes before Netty's protocol handler, in one per-connection handler
 * (three handlers cost three pipeline contexts per connection; see ADR 0018):
 * <ul>
 *   <li><b>Heartbeat.</b> After {@code interval} without any inbound frame a Ping is sent; if still nothing (not
 *   even the Pong) has arrived {@code timeout - interval} after the Ping was written out, {@link #TIMEOUT} is fired
 *   so the session handler closes with 4000. Timed by the loop's {@link HeartbeatWheel}, not by a timer of its own.
 *   </li>
 *   <li><b>RSV bits.</b> A frame whose RSV bits are still set after the negotiated extensions took theirs fails
 *   the connection ({@link #RSV_VIOLATION}, 1002): Netty's decoder lets them through once extensions are allowed
 *   (needed for permessage-deflate), RFC 6455 §5.2 does not. Sits after the deflate decoder.</li>
 *   <li><b>Read back-pressure.</b> No reading while the channel is not writable (its unsent bytes are over the high
 *   watermark): a client that sends but does not read its answers cannot make them pile up.</li>
 * </ul>
 * Per channel; touched only on its event loop.
 */
final class FrameGuardHandler extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    /** Fired down the pipeline when the peer is considered dead. */
    static final Object TIMEOUT = new Object() {
        @Override
        public String toString() {
            return "HEARTBEAT_TIMEOUT";
        }
    };
    /** Fired down the pipeline so the session handler closes with 1002. */
    static final Object RSV_VIOLATION = new Object() {
        @Override
        public String toString() {
            return "RSV_VIOLATION";
        }
    };
    /** {@link #pingWrittenNanos} while no Ping is outstanding. */
    private static final long NO_PING = Long.MIN_VALUE;
    /** {@link #pingWrittenNanos} while a Ping is queued but not yet written out (or its write failed). */
    private static final long PING_QUEUED = Long.MAX_VALUE;

    private final HeartbeatWheel wheel;
    private ChannelHandlerContext ctx;
    private long lastReadNanos;
    private long pingWrittenNanos = NO_PING;
    /** This guard's index in its loop's wheel, -1 when not in it; managed by {@link HeartbeatWheel}. */
    int slot = -1;

    FrameGuardHandler(HeartbeatWheel wheel) {
        this.wheel = wheel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.lastReadNanos = ctx.executor().ticker().nanoTime();
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        if (ctx.channel().isActive()) {
            wheel.add(this, ctx.executor());
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        wheel.remove(this, ctx.executor());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        wheel.remove(this, ctx.executor());
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = ctx.executor().ticker().nanoTime();
        pingWrittenNanos = NO_PING;
        if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
            frame.release();
            ctx.fireUserEventTriggered(RSV_VIOLATION);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    /** One wheel tick: Ping an idle peer, or time out one that did not answer within the grace. */
    void tick(long now) {
        if (pingWrittenNanos == NO_PING) {
            if (now - lastReadNanos >= wheel.intervalNanos()) {
                pingWrittenNanos = PING_QUEUED;
                // The grace starts when the Ping has left for the socket, not when it was queued: behind a backlog
                // of messages a healthy client that is busy reading them would otherwise be declared dead. A socket
                // that never takes the Ping is the slow-consumer policy's business (4001), not the heartbeat's.
                ctx.writeAndFlush(new PingWebSocketFrame()).addListener(this);
            }
        } else if (pingWrittenNanos != PING_QUEUED && now - pingWrittenNanos >= wheel.graceNanos()) {
            wheel.remove(this, ctx.executor());
            if (ctx.channel().isActive()) {
                ctx.fireUserEventTriggered(TIMEOUT);
            }
        }
    }

    /** The Ping's write finished: the grace starts now (a failed write leaves the peer to the write path). */
    @Override
    public void operationComplete(ChannelFuture written) {
        if (written.isSuccess() && pingWrittenNanos == PING_QUEUED) {
            pingWrittenNanos = ctx.executor().ticker().nanoTime();
        }
    }
}
