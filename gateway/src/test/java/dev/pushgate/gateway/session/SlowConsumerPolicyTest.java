package dev.pushgate.gateway.session;

import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.metrics.MeterNames;
import dev.pushgate.protocol.CloseCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared slow-consumer policy with a hand-driven socket, on a real event loop: the WebSocket strategy skips and
 * tells or closes 4001 after the grace, the SSE strategy flushes and then ends a stream that is still behind, and
 * both count the same metrics.
 */
class SlowConsumerPolicyTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final OutboundBudget budget = new OutboundBudget(1 << 30, group, 1 << 20);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final FakeSocket socket = new FakeSocket();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }

    @Test
    void anSseStreamStillBehindAfterAFlushIsEndedAndCounted() throws Exception {
        SlowConsumerPolicy p = policy(SlowConsumerPolicy.WhenBehind.END);
        socket.writable = false;
        assertFalse(onLoop(() -> p.admit("chat.a", true)), "even on a topic that skips: a stream cannot skip");
        assertEquals(1, socket.flushes, "what the batch wrote so far was flushed first");
        assertEquals(CloseCode.SLOW_CONSUMER, socket.failed);
        assertEquals(1, dropped("slow_consumer"));
        assertEquals(1, registry.get(MeterNames.SLOW_CONSUMER_CLOSES).counter().count());
        assertEquals(List.of(), socket.notices);
    }

    @Test
    void anSseStreamThatTakesItsBacklogOnTheFlushGoesOn() throws Exception {
        SlowConsumerPolicy p = policy(SlowConsumerPolicy.WhenBehind.END);
        socket.writable = false;
        socket.flushDrains = true;
        assertTrue(onLoop(() -> p.admit("chat.a", false)));
        assertNull(socket.failed);
        assertEquals(0, dropped("slow_consumer"));
    }

    @Test
    void aWebSocketOnATopicThatSkipsIsToldWhatItMissedOnceItCatchesUp() throws Exception {
        SlowConsumerPolicy p = policy(SlowConsumerPolicy.WhenBehind.SKIP_OR_CLOSE);
        socket.writable = false;
        for (int i = 0; i < 3; i++) {
            assertFalse(onLoop(() -> p.admit("chat.a", true)));
        }
        assertFalse(onLoop(() -> p.admit("chat.b", true)));
        assertEquals(0, socket.flushes, "skipping does not flush");
        assertNull(socket.failed);
        assertEquals(4, dropped("slow_consumer"));
        socket.writable = true;
        onLoop(() -> {
            p.caughtUp();
            return null;
        });
        assertEquals(1, socket.notices.size());
        String notice = socket.notices.get(0);
        assertTrue(notice.contains("\"skipped\"") && notice.contains("\"chat.a\":3") && notice.contains("\"chat.b\":1"),
                notice);
        assertEquals(1, socket.flushes);
        assertTrue(onLoop(() -> p.admit("chat.a", true)));
        assertEquals(1, socket.notices.size(), "told once");
    }

    @Test
    void aWebSocketOnATopicThatClosesIsClosed4001IfStillBehindAfterTheGrace() throws Exception {
        SlowConsumerPolicy p = policy(SlowConsumerPolicy.WhenBehind.SKIP_OR_CLOSE);
        socket.writable = false;
        assertFalse(onLoop(() -> p.admit("chat.a", false)));
        assertNull(socket.failed, "not before the grace");
        assertEquals(1, socket.scheduled.size(), "the end of the grace is checked even if nothing else comes");
        onLoop(() -> {
            socket.scheduled.get(0).run();
            return null;
        });
        assertEquals(CloseCode.SLOW_CONSUMER, socket.failed);
        assertEquals(1, registry.get(MeterNames.SLOW_CONSUMER_CLOSES).counter().count());
    }

    @Test
    void aWebSocketThatCaughtUpWithinTheGraceStaysOpen() throws Exception {
        SlowConsumerPolicy p = policy(SlowConsumerPolicy.WhenBehind.SKIP_OR_CLOSE);
        socket.writable = false;
        assertFalse(onLoop(() -> p.admit("chat.a", false)));
        socket.writable = true;
        assertTrue(onLoop(() -> p.admit("chat.a", false)));
        onLoop(() -> {
            socket.scheduled.get(0).run();
            return null;
        });
        assertNull(socket.failed);
        assertEquals(0, registry.get(MeterNames.SLOW_CONSUMER_CLOSES).counter().count());
    }

    private SlowConsumerPolicy policy(SlowConsumerPolicy.WhenBehind whenBehind) throws Exception {
        return onLoop(() -> new SlowConsumerPolicy(socket, "c-test", metrics, whenBehind, Duration.ZERO,
                budget.loop(loop)));
    }

    private double dropped(String reason) {
        var c = registry.find(MeterNames.MESSAGES_DROPPED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** A socket whose writability the test sets; records what the policy does to it. */
    private static final class FakeSocket implements SlowConsumerPolicy.Socket {
        volatile boolean writable = true;
        volatile boolean flushDrains;
        volatile int flushes;
        volatile CloseCode failed;
        final List<String> notices = new ArrayList<>();
        final List<Runnable> scheduled = new ArrayList<>();

        @Override
        public boolean open() {
            return failed == null;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public long pendingBytes() {
            return writable ? 0 : 1 << 16;
        }

        @Override
        public void writeNotice(byte[] frame) {
            notices.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            flushes++;
            if (flushDrains) {
                writable = true;
            }
        }

        @Override
        public void fail(CloseCode code) {
            failed = code;
        }

        @Override
        public void schedule(Runnable task, Duration delay) {
            scheduled.add(task);
        }
    }
}
