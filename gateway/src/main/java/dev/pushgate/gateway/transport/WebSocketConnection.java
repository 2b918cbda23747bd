package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.hub.OutboundAccount;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.session.SlowConsumerPolicy;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The write side of one WebSocket: answers, fan-out deliveries and the close handshake. Loop-confined.
 *
 * <p>Back-pressure: the channel's high water mark is the connection's outbound budget, and its backlog counts in the
 * node's ({@link OutboundAccount}). A connection behind on either gets the shared {@link SlowConsumerPolicy} with
 * {@link SlowConsumerPolicy.WhenBehind#SKIP_OR_CLOSE}: skipped and told on topics that skip, else closed with 4001
 * after the grace period, so one slow reader never holds memory or delays anyone else.
 */
final class WebSocketConnection implements Transport, Subscriber {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext rawWrites;
    /** Frames from this size on go through the deflate encoder; -1 when compression was not negotiated. */
    private final int compressionFrom;
    private final String id;
    private boolean flushPending;
    private CloseCode closeSent;
    private final SlowConsumerPolicy slow;
    private final OutboundAccount account;
    /** Fan-out frames written below the encoder, corked per batch (null without a frame encoder to write below). */
    private final CorkedWrites corked;

    /**
     * @param compressionMinSize outgoing frames at least this large are compressed when deflate was negotiated
     * @param corkThreshold      fan-out frames smaller than this are copied into one buffer per batch (ADR 0017)
     * @param flushBytes         a batch flushes the socket once this many bytes were written since the last flush
     */
    WebSocketConnection(ChannelHandlerContext ctx, String id, GatewayMetrics metrics, long slowGraceNanos,
                        int compressionMinSize, OutboundBudget budget, int corkThreshold, int flushBytes) {
        this.ctx = ctx;
        // The frame encoder Netty installed at the handshake; writes from its context skip it (and any extension
        // encoder above it), so they must already be complete frames.
        this.rawWrites = ctx.pipeline().context(WebSocket08FrameEncoder.class);
        boolean deflate = ctx.pipeline().get(WebSocketExtensionEncoder.class) != null;
        this.compressionFrom = deflate ? compressionMinSize : -1;
        this.corked = rawWrites == null ? null : new CorkedWrites(rawWrites, corkThreshold, flushBytes);
        this.id = id;
        Channel ch = ctx.channel();
        this.slow = new SlowConsumerPolicy(new Socket(), id, metrics, SlowConsumerPolicy.WhenBehind.SKIP_OR_CLOSE,
                Duration.ofNanos(slowGraceNanos), budget.loop(ch.eventLoop()));
        this.account = slow.account();
        ch.closeFuture().addListener(f -> {
            // A closed channel releases what it is given: nothing corked stays behind.
            uncork();
            slow.closed();
        });
    }

    /** Bytes written to the channel and not yet taken by the socket (Netty's count for writability). */
    private static long pendingBytes(Channel ch) {
        var out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    private long corkedBytes() {
        return corked == null ? 0 : corked.pending();
    }

    /** Every write that does not go through {@link #corked} first writes what is corked, so frames stay in order. */
    private void uncork() {
        if (corked != null) {
            corked.drain();
        }
    }

    @Override
    public void send(byte[] frame) {
        if (closeSent != null || !ctx.channel().isActive()) {
            return;
        }
        uncork();
        ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), ctx.voidPromise());
        account.update();
    }

    @Override
    public void close(CloseCode code) {
        if (closeSent != null || !ctx.channel().isActive()) {
            return;
        }
        closeSent = code;
        log.debug("closing connection: id={} code={}", id, code.code());
        uncork();
        ctx.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason()));
        // Wait briefly for the client's Close; a peer that never answers is cut off.
        ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Fails the connection: sends {@code code} and closes TCP at once without waiting for the peer's Close. */
    void fail(CloseCode code) {
        if (closeSent != null || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        closeSent = code;
        uncork();
        ctx.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason())).addListener(ChannelFutureListener.CLOSE);
    }

    /** The close code this side sent, or {@code null}. */
    CloseCode closeSent() {
        return closeSent;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public java.util.concurrent.Future<?> schedule(Runnable task, java.time.Duration delay) {
        return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        if (closeSent != null || !ctx.channel().isActive()) {
            frame.release();
            wire.release();
            return false;
        }
        if (!slow.admit(topic, skipWhenSlow)) {
            frame.release();
            wire.release();
            return false;
        }
        if (corked != null && (compressionFrom < 0 || frame.readableBytes() < compressionFrom)) {
            // Not compressed for this connection: the shared wire bytes go below the frame encoder, corked.
            frame.release();
            if (corked.write(wire)) {
                flush();
            }
        } else {
            wire.release();
            uncork();
            ctx.write(new TextWebSocketFrame(frame), ctx.voidPromise());
        }
        return true;
    }

    /** The socket drained below its low water mark: tell the client what it missed while it was behind. */
    void writable() {
        account.update();
        slow.caughtUp();
    }

    @Override
    public void flush() {
        if (corked != null) {
            corked.flushed();
            // From the encoder's context: no handler above it holds writes back, so the walk past them is saved.
            rawWrites.flush();
        } else {
            ctx.flush();
        }
        account.update();
    }

    @Override
    public boolean flushPending() {
        return flushPending;
    }

    @Override
    public void flushPending(boolean pending) {
        this.flushPending = pending;
    }

    /** What the slow-consumer policy needs of this connection. */
    private final class Socket implements SlowConsumerPolicy.Socket {
        @Override
        public boolean open() {
            return closeSent == null && ctx.channel().isActive();
        }

        @Override
        public boolean writable() {
            return ctx.channel().isWritable();
        }

        @Override
        public long pendingBytes() {
            return WebSocketConnection.pendingBytes(ctx.channel()) + corkedBytes();
        }

        @Override
        public void writeNotice(byte[] frame) {
            uncork();
            ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), ctx.voidPromise());
        }

        @Override
        public void flush() {
            uncork();
            ctx.flush();
        }

        @Override
        public void fail(CloseCode code) {
            WebSocketConnection.this.fail(code);
        }

        @Override
        public void schedule(Runnable task, Duration delay) {
            WebSocketConnection.this.schedule(task, delay);
        }
    }
}
