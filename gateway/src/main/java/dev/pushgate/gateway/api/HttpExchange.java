package dev.pushgate.gateway.api;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.Topics;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * One HTTP request and its single answer. Owns the request (released when answered) and counts the answer in the
 * metrics and the access log. Must be used on the connection's event loop; {@link #respond} may be called from a
 * callback, it hops back there.
 */
public final class HttpExchange {
    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);
    private static final Logger access = LoggerFactory.getLogger("pushgate.access");

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder query;
    private final String route;
    private final GatewayMetrics metrics;
    private final long startNanos = System.nanoTime();
    private boolean answered;
    private HttpHeaders extraHeaders;

    public HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, String route,
                        GatewayMetrics metrics) {
        this.ctx = ctx;
        this.request = request;
        this.query = query;
        this.route = route;
        this.metrics = metrics;
    }

    /** The connection's context (for transports that keep the response open: SSE, a held poll). */
    public ChannelHandlerContext context() {
        return ctx;
    }

    /**
     * Takes over the answer for a streaming response (SSE): counts {@code status} and releases the request; the
     * caller writes the response head and its content itself. Returns false when already answered.
     */
    public boolean stream(HttpResponseStatus status) {
        if (answered) {
            return false;
        }
        answered = true;
        request.release();
        metrics.httpRequest(route, status.code());
        return true;
    }

    /**
     * The client went away before an answer (a held poll): releases the request without answering. No-op when it was
     * answered.
     */
    public void abandon() {
        if (!answered) {
            answered = true;
            request.release();
        }
    }

    public FullHttpRequest request() {
        return request;
    }

    public QueryStringDecoder query() {
        return query;
    }

    /** Adds {@code name: value} to the answer (e.g. {@code Sec-WebSocket-Version} on a 426). */
    public HttpExchange header(CharSequence name, Object value) {
        if (extraHeaders == null) {
            extraHeaders = new DefaultHttpHeaders();
        }
        extraHeaders.add(name, value);
        return this;
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String param(String name) {
        var values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The {@code topic} query parameter when it is present and a valid topic; otherwise answers 400
     * ({@code bad_request} or {@code invalid_topic}) and returns null.
     */
    public String validTopicParam(int topicMaxLength) {
        String topic = param("topic");
        if (topic == null) {
            error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "missing query parameter: topic");
            return null;
        }
        String violation = Topics.violation(topic, topicMaxLength);
        if (violation != null) {
            error(HttpResponseStatus.BAD_REQUEST, ErrorCode.INVALID_TOPIC, violation);
            return null;
        }
        return topic;
    }

    /** The request body as bytes (a copy). */
    public byte[] body() {
        return ByteBufUtil.getBytes(request.content());
    }

    /** Answers {@code status} with a JSON body. */
    public void json(HttpResponseStatus status, byte[] body) {
        respond(status, "application/json", Unpooled.wrappedBuffer(body));
    }

    /** Answers {@code status} with {@code {"error":{"code":...,"message":...}}}. */
    public void error(HttpResponseStatus status, ErrorCode code, String message) {
        String body = "{\"error\":{\"code\":\"" + code.wire() + "\",\"message\":" + ProtocolCodec.quote(message) + "}}";
        json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answers a failed channel-layer read of {@code what} ("history", "presence"): 503 {@code unavailable} when the
     * layer is down (the client may retry), else 500 {@code internal}, logged here and with no detail for the client.
     */
    public void layerReadFailed(String what, String topic, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof BrokerUnavailableException) {
            error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, what + " unavailable, try again");
        } else {
            log.warn("channel layer read failed: what={} topic={}", what, topic, cause);
            error(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, what + " query failed");
        }
    }

    /** Answers with any content type. Takes ownership of {@code body}. */
    public void respond(HttpResponseStatus status, String contentType, ByteBuf body) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> respond(status, contentType, body));
            return;
        }
        if (answered) {
            body.release();
            return;
        }
        answered = true;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        if (extraHeaders != null) {
            response.headers().add(extraHeaders);
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        String method = request.method().name();
        String uri = query.path();
        request.release();
        metrics.httpRequest(route, status.code());
        if (access.isDebugEnabled()) {
            access.debug("http request: method={} path={} status={} bytes={} micros={} remote={}", method, uri,
                    status.code(), body.readableBytes(), (System.nanoTime() - startNanos) / 1000,
                    ctx.channel().remoteAddress());
        }
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
