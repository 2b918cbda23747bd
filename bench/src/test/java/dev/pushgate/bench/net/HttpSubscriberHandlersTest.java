package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.SessionListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpSubscriberHandlersTest {
    private static final String M1 = "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":1,\"data\":{\"n\":0,\"s\":0,\"t\":5}}";
    private static final String M2 = "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":2,\"data\":{\"n\":1,\"s\":0,\"t\":6}}";

    private final Recording listener = new Recording();

    @Test
    void sseRequestsTheTopicAndRoutesEventsSplitAcrossChunks() {
        EmbeddedChannel ch = new EmbeddedChannel(new SseSubscriberHandler("h:1", "bench.t", listener, 1024));
        FullHttpRequest req = ch.readOutbound();
        assertEquals("/sse?topic=bench.t", req.uri());
        assertEquals("h:1", req.headers().get("Host"));
        req.release();
        ch.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        String body = "retry: 2000\n\nid: A\ndata: {\"op\":\"ack\",\"topic\":\"bench.t\",\"seq\":0}\n\nid: B\ndata: "
                + M1 + "\n\n: heartbeat\n\nid: C\ndata: " + M2 + "\n\n";
        int cut = body.indexOf("\"seq\":2") + 3;
        ch.writeInbound(chunk(body.substring(0, cut)));
        assertEquals(List.of("subscribed", "message " + M1), listener.events);
        ch.writeInbound(chunk(body.substring(cut)));
        assertEquals(List.of("subscribed", "message " + M1, "message " + M2), listener.events);
        assertFalse(ch.finish());
    }

    @Test
    void sseRefusedIsAnErrorAndACloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new SseSubscriberHandler("h:1", "bench.t", listener, 1024));
        ((FullHttpRequest) ch.readOutbound()).release();
        ch.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS));
        assertEquals(List.of("error http-429"), listener.events);
        assertFalse(ch.isActive());
        ch.finish();
    }

    @Test
    void pollSubscribesThenRepollsAtOnceWithTheToken() {
        EmbeddedChannel ch = new EmbeddedChannel(new PollSubscriberHandler("h:1", "bench.t", listener));
        FullHttpRequest first = ch.readOutbound();
        assertEquals("/poll?topic=bench.t", first.uri());
        first.release();
        ch.writeInbound(answer("{\"messages\":[],\"since\":\"T1\"}"));
        assertEquals(List.of("subscribed"), listener.events);
        FullHttpRequest second = ch.readOutbound();
        assertEquals("/poll?topic=bench.t&since=T1", second.uri());
        second.release();
        assertNull(ch.readOutbound(), "one request in flight");
        ch.writeInbound(answer("{\"messages\":[" + M1 + "," + M2 + "],\"since\":\"T2\"}"));
        assertEquals(List.of("subscribed", "message " + M1, "message " + M2), listener.events);
        FullHttpRequest third = ch.readOutbound();
        assertEquals("/poll?topic=bench.t&since=T2", third.uri());
        third.release();
        assertFalse(ch.finish());
    }

    private static DefaultHttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static DefaultFullHttpResponse answer(String json) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }

    private static final class Recording implements SessionListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onReady(Channel channel) {
            events.add("ready");
        }

        @Override
        public void onSubscribed(Channel channel) {
            events.add("subscribed");
        }

        @Override
        public void onAck(Channel channel, long id) {
            events.add("ack " + id);
        }

        @Override
        public void onMessage(Channel channel, ByteBuf frame) {
            events.add("message " + frame.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void onError(Channel channel, long id, String code) {
            events.add("error " + code);
        }

        @Override
        public void onClosed(Channel channel, Throwable cause) {
            events.add("closed");
        }
    }
}
