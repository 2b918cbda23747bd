package dev.pushgate.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link HeartbeatWheel} with {@link FrameGuardHandler}: Ping after the interval, timeout after the grace counted
 * from the Ping's write, any frame resets both. Driven by the embedded loop's clock (no sleeping).
 */
class HeartbeatWheelTest {
    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel channel(HeartbeatWheel wheel) {
        return new EmbeddedChannel(new FrameGuardHandler(wheel), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void silentPeerIsPingedOnceThenTimedOut() {
        EmbeddedChannel ch = channel(new HeartbeatWheel(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2)));
        ch.freezeTime();
        advance(ch, 900);
        assertNull(ch.readOutbound(), "no Ping before the interval");
        advance(ch, 200);
        PingWebSocketFrame ping = ch.readOutbound();
        ping.release();
        advance(ch, 700);
        assertNull(ch.readOutbound(), "one Ping per silence");
        assertEquals(List.of(), events, "still within the grace");
        advance(ch, 400);
        assertEquals(List.of(FrameGuardHandler.TIMEOUT), events);
        advance(ch, 3000);
        assertEquals(1, events.size(), "the timeout fires once");
        assertFalse(ch.finish());
    }

    @Test
    void anyFrameResetsTheSilence() {
        EmbeddedChannel ch = channel(new HeartbeatWheel(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2)));
        ch.freezeTime();
        advance(ch, 1100);
        ((PingWebSocketFrame) ch.readOutbound()).release();
        ch.writeInbound(new PongWebSocketFrame());
        ((PongWebSocketFrame) ch.readInbound()).release();
        advance(ch, 900);
        assertEquals(List.of(), events, "the Pong answered the Ping");
        assertNull(ch.readOutbound(), "the silence restarted at the Pong");
        advance(ch, 300);
        assertInstanceOf(PingWebSocketFrame.class, ch.readOutbound());
        assertFalse(ch.finishAndReleaseAll());
    }
}
