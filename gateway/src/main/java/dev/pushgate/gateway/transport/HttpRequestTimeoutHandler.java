package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on every HTTP request ({@code http.request-timeout}): its head and body must have arrived within
 * that time, or it is answered 408 {@code request_timeout} and the connection closes. The deadline runs from the
 * first read that carries part of the request, or, for a pipelined request that had already arrived, from the
 * moment it is let through (the previous response was written). A connection that sends nothing is left to the
 * idle timer (browsers open connections ahead of need), and so are bytes that arrive in the same read as the end
 * of the previous request and then stop (the codec does not tell whether it holds part of a request).
 * <p>
 * A WebSocket upgrade request gets the shorter of this deadline and {@code ws.handshake-timeout}, counted from its
 * start, and it runs until the handshake is done (this handler is removed then) or refused (a final response);
 * past the end of the request it closes without an answer. Sits behind {@link HttpFlowControlHandler}, so requests
 * waiting there are not timed. Per channel; event loop only.
 */
final class HttpRequestTimeoutHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestTimeoutHandler.class);

    private enum State { WAITING, RECEIVING, COMPLETE, UPGRADING, EXPIRED }

    private final long timeoutNanos;
    private final long handshakeNanos;
    private final GatewayMetrics metrics;
    private State state = State.WAITING;
    private long startNanos;
    private ScheduledFuture<?> timer;
    private boolean upgrade;
    /** A request ended in the read under way: bytes left of it belong to the next request only maybe. */
    private boolean endedThisRead;

    /** {@code handshakeNanos} 0: no WebSocket upgrades on this port. */
    HttpRequestTimeoutHandler(long timeoutNanos, long handshakeNanos, GatewayMetrics metrics) {
        this.timeoutNanos = timeoutNanos;
        this.handshakeNanos = handshakeNanos;
        this.metrics = metrics;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.EXPIRED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (timer == null) {
                arm(ctx, System.nanoTime(), timeoutNanos);
            }
            state = State.RECEIVING;
            upgrade = handshakeNanos > 0 && req.headers().containsValue(HttpHeaderNames.UPGRADE,
                    HttpHeaderValues.WEBSOCKET, true);
            if (upgrade && handshakeNanos < timeoutNanos) {
                long start = startNanos;
                disarm();
                arm(ctx, start, handshakeNanos);
            }
        }
        if (msg instanceof LastHttpContent) {
            endedThisRead = true;
            if (upgrade) {
                state = State.UPGRADING;
            } else {
                disarm();
                state = State.COMPLETE;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.WAITING && !endedThisRead) {
            // Part of a new request arrived (a read that decoded nothing whole).
            if (timer == null) {
                arm(ctx, System.nanoTime(), timeoutNanos);
            }
            state = State.RECEIVING;
        }
        endedThisRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && state != State.EXPIRED) {
            disarm();
            state = State.WAITING;
            upgrade = false;
        }
        ctx.write(msg, promise);
    }

    private void arm(ChannelHandlerContext ctx, long start, long nanos) {
        startNanos = start;
        long delay = Math.max(0, start + nanos - System.nanoTime());
        timer = ctx.executor().schedule(() -> expired(ctx), delay, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        State was = state;
        state = State.EXPIRED;
        if (!ctx.channel().isActive()) {
            return;
        }
        log.debug("http request timed out: remote={} state={} millis={}", ctx.channel().remoteAddress(),
                was.name().toLowerCase(Locale.ROOT), (System.nanoTime() - startNanos) / 1_000_000);
        switch (was) {
            case RECEIVING -> {
                metrics.httpRequest("timeout", HttpResponseStatus.REQUEST_TIMEOUT.code());
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                if (tls != null && !tls.handshakeFuture().isDone()) {
                    // Still in the TLS handshake: an answer could not be sent.
                    ctx.close();
                    return;
                }
                ctx.writeAndFlush(timeoutResponse()).addListener(ChannelFutureListener.CLOSE);
            }
            case UPGRADING -> {
                metrics.handshakeFailure("timeout");
                ctx.close();
            }
            default -> ctx.close();
        }
    }

    private FullHttpResponse timeoutResponse() {
        byte[] body = ("{\"error\":{\"code\":\"" + ErrorCode.REQUEST_TIMEOUT.wire() + "\",\"message\":"
                + ProtocolCodec.quote("request not complete within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms") + "}}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
