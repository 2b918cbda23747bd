package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.PushgateFrames;
import dev.pushgate.bench.dialect.SessionListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A long-poll subscriber on one keep-alive connection: {@code GET /poll?topic=T} when connected (answered at once
 * with the current position: subscribed), then, at every answer, its {@code message} frames are deliveries and the
 * next poll goes out at once with the answer's {@code since}: exactly one request in flight. A status other than
 * 200 is reported as error {@code http-<status>} and closes; so does an answer without {@code since}. A closed
 * connection is not reopened (what it would have brought counts as lost). One per connection.
 */
final class PollSubscriberHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final String host;
    private final String query;
    private final SessionListener listener;
    private boolean subscribed;

    PollSubscriberHandler(String host, String topic, SessionListener listener) {
        this.host = host;
        this.query = "/poll?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        poll(ctx, null);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
        if (!res.status().equals(HttpResponseStatus.OK)) {
            listener.onError(ctx.channel(), 0, "http-" + res.status().code());
            ctx.close();
            return;
        }
        String since = PollAnswer.read(res.content(), frame -> route(ctx, frame));
        if (since == null) {
            listener.onError(ctx.channel(), 0, "poll-without-since");
            ctx.close();
            return;
        }
        if (!subscribed) {
            subscribed = true;
            listener.onSubscribed(ctx.channel());
        }
        if (ctx.channel().isActive()) {
            poll(ctx, since);
        }
    }

    private void route(ChannelHandlerContext ctx, ByteBuf frame) {
        switch (PushgateFrames.op(frame)) {
            case MESSAGE -> listener.onMessage(ctx.channel(), frame);
            case ERROR -> listener.onError(ctx.channel(), 0, PushgateFrames.errorCode(frame));
            default -> {
            }
        }
    }

    private void poll(ChannelHandlerContext ctx, String since) {
        String uri = since == null ? query : query + "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        req.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "application/json");
        ctx.writeAndFlush(req, ctx.voidPromise());
    }
}
