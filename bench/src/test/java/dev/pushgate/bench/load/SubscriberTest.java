package dev.pushgate.bench.load;

import dev.pushgate.bench.payload.PayloadWriter;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.stats.MicroClock;
import dev.pushgate.bench.dialect.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class SubscriberTest {
    private final DeliveryStats stats = new DeliveryStats();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final FakeEvents events = new FakeEvents();
    private final SubscriberContext context = new SubscriberContext(Target.PUSHGATE.dialect(), MicroClock.system(),
            latency, stats, 2);

    @Test
    void subscribesWhenReadyAndIsReadyOnTheAck() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Subscriber s = new Subscriber(context, events, "chat.bench", 3);
        s.onReady(ch);
        TextWebSocketFrame sent = ch.readOutbound();
        assertEquals("{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.bench\"}", sent.text());
        sent.release();
        s.onAck(ch, 2);
        assertEquals(List.of(), events.log);
        s.onAck(ch, 1);
        assertEquals(List.of("ready 3"), events.log);
        s.onClosed(ch, null);
        assertEquals(1, stats.disconnects());
        assertEquals(List.of("ready 3"), events.log, "a close after ready is a disconnect, not a failure");
        assertFalse(ch.finish());
    }

    @Test
    void aSubscriptionByUrlIsReadyWhenTheServerSaysItStarted() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Subscriber s = new Subscriber(context, events, "chat.bench", 2);
        s.onSubscribed(ch);
        s.onSubscribed(ch);
        assertNull(ch.readOutbound(), "no subscribe request: the URL named the topic");
        assertEquals(List.of("ready 2"), events.log);
        assertFalse(ch.finish());
    }

    @Test
    void anIdleConnectionIsReadyAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        new Subscriber(context, events, null, 0).onReady(ch);
        assertNull(ch.readOutbound());
        assertEquals(List.of("ready 0"), events.log);
        assertFalse(ch.finish());
    }

    @Test
    void aRefusedSubscriptionOrAnEarlyCloseFailsOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Subscriber s = new Subscriber(context, events, "x.y", 0);
        s.onReady(ch);
        ((TextWebSocketFrame) ch.readOutbound()).release();
        s.onError(ch, 1, "forbidden");
        s.onClosed(ch, new java.io.IOException("reset"));
        assertEquals(List.of("failed forbidden"), events.log);

        Subscriber early = new Subscriber(context, events, "x.y", 0);
        early.onClosed(ch, null);
        assertEquals(List.of("failed forbidden", "failed null"), events.log);
        assertFalse(ch.finish());
    }

    @Test
    void messagesAreClassifiedAndTimed() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Subscriber s = new Subscriber(context, events, "t", 0);
        long now = MicroClock.system().nowMicros();
        deliver(s, ch, 0, 0, now);
        deliver(s, ch, 2, 0, now);
        deliver(s, ch, 1, 0, now);
        deliver(s, ch, 2, 0, now);
        deliver(s, ch, 0, 1, now);
        deliver(s, ch, 0, 9, now);
        ByteBuf junk = Unpooled.copiedBuffer("{\"op\":\"message\",\"data\":{}}", StandardCharsets.US_ASCII);
        s.onMessage(ch, junk);
        junk.release();
        assertEquals(new DeliveryStats.Totals(6, 4, 1, 1, 2, 0), stats.totals());
        assertEquals(6, latency.sampleInterval().getTotalCount());
        assertFalse(ch.finish());
    }

    private static void deliver(Subscriber s, EmbeddedChannel ch, long n, int stream, long micros) {
        ByteBuf frame = Unpooled.buffer();
        frame.writeCharSequence("{\"op\":\"message\",\"topic\":\"t\",\"seq\":1,\"data\":", StandardCharsets.US_ASCII);
        new PayloadWriter(80).write(frame, n, stream, micros);
        frame.writeByte('}');
        s.onMessage(ch, frame);
        frame.release();
    }

    private static final class FakeEvents implements ConnectEvents {
        final List<String> log = new ArrayList<>();

        @Override
        public void ready(int topicIndex, long handshakeNanos) {
            log.add("ready " + topicIndex);
        }

        @Override
        public void failed(Throwable cause) {
            log.add("failed " + (cause == null ? "null" : cause.getClass().getSimpleName()));
        }

        @Override
        public void failed(String code) {
            log.add("failed " + code);
        }
    }
}
