package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.hub.OutboundAccount;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ProtocolCodec;
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

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The write side of one WebSocket: answers, fan-out deliveries and the close handshake. Loop-confined.
 *
 * <p>Back-pressure: the channel's high water mark is the connection's outbound budget. While the socket is over it,
 * deliveries are skipped (and counted); a connection that stays over it longer than the grace period is closed with
 * 4001, so one slow reader never holds memory or delays anyone else.
 *
 * <p>Node budget: the connection's backlog (what its socket did not take) is counted in its loop's
 * {@link OutboundAccount} after every flush; while the node is short of its {@code outbound.node-budget}, a
 * connection that is behind is refused messages like one over its own budget (skipped and told, or closed with 4001
 * after the grace period if it stays behind), counted as {@code node_budget}.
 */
final class WebSocketConnection implements Transport, Subscriber {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext rawWrites;
    /** Frames from this size on go through the deflate encoder; -1 when compression was not negotiated. */
    private final int compressionFrom;
    private final String id;
    private final GatewayMetrics metrics;
    private final long slowGraceNanos;
    private long overBudgetSince;
    private boolean flushPending;
    /** Messages skipped per topic while over budget (skip policy); told to the client once it catches up. */
    private final java.util.Map<String, Integer> skipped = new java.util.HashMap<>(0);
    private CloseCode closeSent;
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
        this.metrics = metrics;
        this.slowGraceNanos = slowGraceNanos;
        Channel ch = ctx.channel();
        this.account = budget.loop(ch.eventLoop()).open(() -> pendingBytes(ch) + corkedBytes(), this::caughtUp);
        ch.closeFuture().addListener(f -> account.close());
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
        boolean writable = ctx.channel().isWritable();
        if (!writable || account.refused()) {
            frame.release();
            wire.release();
            if (writable) {
                metrics.droppedNodeBudget();
            } else {
                metrics.droppedSlowConsumer();
            }
            if (skipWhenSlow) {
                skipped.merge(topic, 1, Integer::sum);
            } else {
                overBudget();
            }
            return false;
        }
        overBudgetSince = 0;
        if (!skipped.isEmpty()) {
            // Refused for the node budget (not a writability change): it may take messages again, so say first
            // what it missed.
            tellSkipped();
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
        caughtUp();
    }

    /** The socket took its backlog (writability, or the budget's sweep found it drained). */
    private void caughtUp() {
        if (closeSent != null || !ctx.channel().isWritable() || account.refusedNow()) {
            return;
        }
        overBudgetSince = 0;
        if (!skipped.isEmpty()) {
            tellSkipped();
            ctx.flush();
            account.update();
        }
    }

    /** Writes (without flushing) the {@code skipped} notice of what this connection missed while behind. */
    private void tellSkipped() {
        uncork();
        ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(ProtocolCodec.skipped(skipped))), ctx.voidPromise());
        log.debug("slow consumer caught up: id={} skippedTopics={}", id, skipped.size());
        skipped.clear();
    }

    private void overBudget() {
        long now = System.nanoTime();
        if (overBudgetSince == 0) {
            overBudgetSince = now;
            log.debug("slow consumer skipping messages: id={}", id);
            // Decide at the end of the grace even if no further message comes to trigger it.
            ctx.executor().schedule(this::closeIfStillBehind, slowGraceNanos, TimeUnit.NANOSECONDS);
        } else if (now - overBudgetSince > slowGraceNanos) {
            closeIfStillBehind();
        }
    }

    private void closeIfStillBehind() {
        if (overBudgetSince == 0 || closeSent != null || !ctx.channel().isActive()
                || ctx.channel().isWritable() && !account.refusedNow()) {
            return;
        }
        if (System.nanoTime() - overBudgetSince < slowGraceNanos) {
            // A later episode (the earlier one ended): its own check is scheduled.
            return;
        }
        metrics.slowConsumerClosed();
        log.info("closing slow consumer: id={} overBudgetMillis={}", id, (System.nanoTime() - overBudgetSince) / 1_000_000);
        // The socket is stuck, so a Close frame would queue behind the backlog: fail the connection at once.
        fail(CloseCode.SLOW_CONSUMER);
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
}
