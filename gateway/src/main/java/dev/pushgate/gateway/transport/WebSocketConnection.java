package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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
 */
final class WebSocketConnection implements Transport, Subscriber {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ChannelHandlerContext ctx;
    private final String id;
    private final GatewayMetrics metrics;
    private final long slowGraceNanos;
    private long overBudgetSince;
    private boolean flushPending;
    private CloseCode closeSent;

    WebSocketConnection(ChannelHandlerContext ctx, String id, GatewayMetrics metrics, long slowGraceNanos) {
        this.ctx = ctx;
        this.id = id;
        this.metrics = metrics;
        this.slowGraceNanos = slowGraceNanos;
    }

    @Override
    public void send(byte[] frame) {
        if (closeSent != null || !ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), ctx.voidPromise());
    }

    @Override
    public void close(CloseCode code) {
        if (closeSent != null || !ctx.channel().isActive()) {
            return;
        }
        closeSent = code;
        log.debug("closing connection: id={} code={}", id, code.code());
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
    public void deliver(ByteBuf frame) {
        if (closeSent != null || !ctx.channel().isActive()) {
            frame.release();
            return;
        }
        if (!ctx.channel().isWritable()) {
            frame.release();
            overBudget();
            return;
        }
        overBudgetSince = 0;
        ctx.write(new TextWebSocketFrame(frame), ctx.voidPromise());
    }

    private void overBudget() {
        metrics.droppedSlowConsumer();
        long now = System.nanoTime();
        if (overBudgetSince == 0) {
            overBudgetSince = now;
            log.debug("slow consumer skipping messages: id={}", id);
        } else if (now - overBudgetSince > slowGraceNanos) {
            metrics.slowConsumerClosed();
            log.info("closing slow consumer: id={} overBudgetMillis={}", id, (now - overBudgetSince) / 1_000_000);
            close(CloseCode.SLOW_CONSUMER);
        }
    }

    @Override
    public void flush() {
        ctx.flush();
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
