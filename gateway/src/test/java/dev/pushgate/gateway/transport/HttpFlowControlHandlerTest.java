package dev.pushgate.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpFlowControlHandler} on an {@link EmbeddedChannel}: one request at a time, whatever arrives at once. */
class HttpFlowControlHandlerTest {
    /** Collects requests; the test answers them when it likes (an asynchronous endpoint). */
    private static final class Endpoint extends ChannelInboundHandlerAdapter {
        final ArrayDeque<FullHttpRequest> requests = new ArrayDeque<>();
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            requests.add((FullHttpRequest) msg);
        }

        void answerNext() {
            FullHttpRequest req = requests.poll();
            byte[] body = req.uri().getBytes(StandardCharsets.US_ASCII);
            req.release();
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(res);
        }
    }

    private static EmbeddedChannel channel(Endpoint endpoint) {
        HttpFlowControlHandler flow = new HttpFlowControlHandler();
        return new EmbeddedChannel(flow.gate(), new HttpServerCodec(), flow, new HttpObjectAggregator(1 << 20),
                endpoint);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static String drainOutbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void pipelinedRequestsArePassedOnOneAtATimeAndAnsweredInOrder() {
        Endpoint endpoint = new Endpoint();
        EmbeddedChannel ch = channel(endpoint);
        assertFalse(ch.config().isAutoRead());
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            in.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        ch.writeInbound(ascii(in.toString()));
        for (int i = 0; i < 200; i++) {
            assertEquals(1, endpoint.requests.size(), "one request in flight before answer " + i);
            assertEquals("/r" + i, endpoint.requests.peek().uri());
            endpoint.answerNext();
            String out = drainOutbound(ch);
            assertTrue(out.startsWith("HTTP/1.1 200 OK") && out.endsWith("/r" + i), out);
        }
        assertTrue(endpoint.requests.isEmpty());
        assertFalse(ch.finish());
    }

    @Test
    void aRequestSplitAcrossReadsIsPassedOnWhenWhole() {
        Endpoint endpoint = new Endpoint();
        EmbeddedChannel ch = channel(endpoint);
        ch.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab"));
        assertTrue(endpoint.requests.isEmpty());
        ch.writeInbound(ascii("cdeGET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
        assertEquals(1, endpoint.requests.size());
        assertEquals("abcde", endpoint.requests.peek().content().toString(StandardCharsets.US_ASCII));
        endpoint.answerNext();
        assertTrue(drainOutbound(ch).endsWith("/a"));
        assertEquals("/b", endpoint.requests.peek().uri());
        endpoint.answerNext();
        assertTrue(drainOutbound(ch).endsWith("/b"));
        assertFalse(ch.finish());
    }

    @Test
    void aHundredContinueDoesNotCountAsTheAnswer() {
        Endpoint endpoint = new Endpoint();
        EmbeddedChannel ch = channel(endpoint);
        ch.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
        assertTrue(drainOutbound(ch).startsWith("HTTP/1.1 100 Continue"));
        ch.writeInbound(ascii("xyzGET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
        assertEquals(1, endpoint.requests.size(), "the GET waits for the POST's answer");
        endpoint.answerNext();
        assertTrue(drainOutbound(ch).endsWith("/a"));
        assertEquals("/b", endpoint.requests.peek().uri());
        endpoint.answerNext();
        assertTrue(drainOutbound(ch).endsWith("/b"));
        assertFalse(ch.finish());
    }

    @Test
    void aHeadRequestPipelinedBehindAnotherGetsNoBody() {
        Endpoint endpoint = new Endpoint();
        EmbeddedChannel ch = channel(endpoint);
        ch.writeInbound(ascii("GET /a HTTP/1.1\r\nHost: t\r\n\r\nHEAD /bb HTTP/1.1\r\nHost: t\r\n\r\n"));
        endpoint.answerNext();
        assertTrue(drainOutbound(ch).endsWith("/a"));
        endpoint.answerNext();
        String head = drainOutbound(ch);
        assertTrue(head.endsWith("\r\n\r\n"), "the codec still pairs the HEAD answer with its request: " + head);
        assertNull(endpoint.requests.peek());
        assertFalse(ch.finish());
    }
}
