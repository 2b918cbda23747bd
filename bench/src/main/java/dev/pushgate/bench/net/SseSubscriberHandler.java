package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.PushgateFrames;
import dev.pushgate.bench.dialect.SessionListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An SSE subscriber: sends {@code GET /sse?topic=T} when connected, splits the streamed body into events
 * ({@link SseEventDecoder}) and routes each event's data, a pushgate frame, to the {@link SessionListener}: the
 * subscribe {@code ack} means subscribed, {@code message} frames are deliveries, an {@code error} is reported. A
 * status other than 200 is reported as error {@code http-<status>} and closes; so does the end of the stream.
 * One per connection.
 */
final class SseSubscriberHandler extends ChannelInboundHandlerAdapter {
    private final String host;
    private final String topic;
    private final SessionListener listener;
    private final int maxEventBytes;
    private SseEventDecoder decoder;
    private boolean streaming;

    SseSubscriberHandler(String host, String topic, SessionListener listener, int maxEventBytes) {
        this.host = host;
        this.topic = topic;
        this.listener = listener;
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        decoder = new SseEventDecoder(ctx.alloc(), maxEventBytes);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        decoder.release();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/sse?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
        req.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "text/event-stream");
        ctx.writeAndFlush(req, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse res) {
                if (!res.status().equals(HttpResponseStatus.OK)) {
                    listener.onError(ctx.channel(), 0, "http-" + res.status().code());
                    ctx.close();
                    return;
                }
                streaming = true;
            }
            if (msg instanceof HttpContent content && streaming) {
                decoder.feed(content.content(), data -> route(ctx, data));
                if (content instanceof LastHttpContent) {
                    streaming = false;
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void route(ChannelHandlerContext ctx, ByteBuf frame) {
        switch (PushgateFrames.op(frame)) {
            case ACK -> listener.onSubscribed(ctx.channel());
            case MESSAGE -> listener.onMessage(ctx.channel(), frame);
            case ERROR -> listener.onError(ctx.channel(), 0, PushgateFrames.errorCode(frame));
            default -> {
            }
        }
    }
}
