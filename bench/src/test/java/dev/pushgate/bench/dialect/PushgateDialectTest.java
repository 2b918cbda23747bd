package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PushgateDialectTest {
    private final Dialect dialect = Target.PUSHGATE.dialect();

    @Test
    void framesAreTheGatewaysJsonOps() {
        ByteBuf buf = Unpooled.buffer();
        try {
            dialect.writeSubscribe(buf, 1, "bench.t");
            assertEquals("{\"op\":\"subscribe\",\"id\":1,\"topic\":\"bench.t\"}", text(buf));
            buf.clear();
            dialect.writePublishHead(buf, 3, "chat.x");
            buf.writeCharSequence("{\"a\":1}", StandardCharsets.US_ASCII);
            dialect.writePublishTail(buf);
            assertEquals("{\"op\":\"publish\",\"id\":3,\"topic\":\"chat.x\",\"data\":{\"a\":1}}", text(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void theEndpointDefaultsToSlashWs() {
        assertEquals(URI.create("ws://h:1/ws"), dialect.endpoint(URI.create("ws://h:1")));
        assertEquals(URI.create("ws://h:1/other"), dialect.endpoint(URI.create("ws://h:1/other")));
        assertEquals("/api/publish", dialect.httpPublishPath());
    }

    @Test
    void serverFramesBecomeListenerEvents() {
        RecordingListener listener = new RecordingListener();
        EmbeddedChannel ch = new EmbeddedChannel(dialect.newSessionHandler(listener));
        ch.writeInbound(frame("{\"op\":\"connected\",\"client\":\"c-1\",\"node\":\"n\",\"version\":1,\"ping\":30}"));
        ch.writeInbound(frame("{\"op\":\"ack\",\"id\":12,\"topic\":\"bench.t\"}"));
        ch.writeInbound(frame("{\"op\":\"ack\",\"id\":3,\"seq\":17}"));
        ch.writeInbound(frame("{\"op\":\"message\",\"topic\":\"t\",\"seq\":1,\"data\":{\"n\":1}}"));
        ch.writeInbound(frame("{\"op\":\"error\",\"id\":4,\"code\":\"forbidden\",\"message\":\"no\"}"));
        ch.writeInbound(frame("{\"op\":\"pong\",\"id\":5}"));
        assertEquals(List.of("ready", "ack 12", "ack 3", "message {\"op\":\"message\",\"topic\":\"t\",\"seq\":1,"
                + "\"data\":{\"n\":1}}", "error 4 forbidden"), listener.events);
        assertFalse(ch.finish());
    }

    private static TextWebSocketFrame frame(String text) {
        return new TextWebSocketFrame(text);
    }

    private static String text(ByteBuf buf) {
        return buf.toString(StandardCharsets.UTF_8);
    }
}
