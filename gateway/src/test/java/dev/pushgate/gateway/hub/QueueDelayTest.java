package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.InMemoryBroker;
import dev.pushgate.gateway.testing.Await;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 goal 4 (overload): an event loop that is behind — here blocked outright while publications keep arriving
 * — must not deliver what is more than {@code fanout.max-queue-delay} older than what arrived after it: it drops and
 * counts those, delivers the fresh ones, and holds nothing counted against the node budget afterwards. A loop that
 * merely stalled with nothing newer arriving delivers what it holds. The budget's clock is a test clock moved by
 * hand, so nothing depends on how long anything takes.
 */
class QueueDelayTest {
    private static final long MAX_DELAY = TimeUnit.MILLISECONDS.toNanos(250);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Counting metrics = new Counting();
    private EventLoopGroup group;
    private OutboundBudget budget;
    private Hub hub;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        budget = new OutboundBudget(64L << 20, group, 1 << 18, MAX_DELAY, clock::get);
        InMemoryBroker broker = new InMemoryBroker();
        hub = new Hub(broker, group, PooledByteBufAllocator.DEFAULT, 1024, 0, metrics, t -> false, budget);
        broker.start(hub);
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        hub.discardPending();
    }

    @Test
    void aBlockedLoopDropsWhatWaitedTooLongAndDeliversTheRest() throws Exception {
        EventLoop loop = group.next();
        RecordingSubscriber sub = new RecordingSubscriber(loop);
        subscribe("t", sub);

        CountDownLatch release = block(loop);
        int old = 200;
        for (int i = 0; i < old; i++) {
            publish("old-" + i);
        }
        clock.addAndGet(MAX_DELAY + 1);
        int fresh = 10;
        for (int i = 0; i < fresh; i++) {
            publish("new-" + i);
        }
        assertTrue(budget.inUse() > 0, "the queued publications count against the node budget");
        release.countDown();

        // First the subscriber is told what it missed (once, before the topic's next message), then the fresh ones.
        String notice = sub.frames.poll(5, TimeUnit.SECONDS);
        assertEquals("{\"op\":\"skipped\",\"topics\":{\"t\":" + old + "}}", notice);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            String frame = sub.frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "fresh publication " + i + " was not delivered");
            got.add(frame);
        }
        for (int i = 0; i < fresh; i++) {
            assertTrue(got.get(i).contains("new-" + i), "expected only fresh publications, in order: " + got);
        }
        assertEquals(old, metrics.queueDelay.get(), "every publication that waited too long is dropped and counted");
        Await.until(Duration.ofSeconds(5), () -> budget.inUse() == 0, () -> "budget in use: " + budget.inUse());
        // A publication after the backlog arrives next: nothing old was left behind it.
        publish("last");
        String last = sub.frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(last);
        assertTrue(last.contains("last"), last);
    }

    @Test
    void aLoopThatOnlyStalledDeliversWhatItHolds() throws Exception {
        EventLoop loop = group.next();
        RecordingSubscriber sub = new RecordingSubscriber(loop);
        subscribe("t", sub);
        CountDownLatch release = block(loop);
        publish("a");
        publish("b");
        // The loop stalls (a GC pause, a long task) with nothing newer arriving: what it holds is late, not behind.
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        release.countDown();
        String a = sub.frames.poll(5, TimeUnit.SECONDS);
        String b = sub.frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(a);
        assertNotNull(b);
        assertTrue(a.contains("\"a\"") && b.contains("\"b\""), a + " " + b);
        assertEquals(0, metrics.queueDelay.get());
    }

    @Test
    void withoutAMaximumDelayALateLoopDeliversEverything() throws Exception {
        budget = new OutboundBudget(64L << 20, group, 1 << 18, 0, clock::get);
        InMemoryBroker broker = new InMemoryBroker();
        hub = new Hub(broker, group, PooledByteBufAllocator.DEFAULT, 1024, 0, metrics, t -> false, budget);
        broker.start(hub);
        RecordingSubscriber sub = new RecordingSubscriber(group.next());
        subscribe("t", sub);
        publish("a");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
        publish("b");
        assertNotNull(sub.frames.poll(5, TimeUnit.SECONDS));
        assertNotNull(sub.frames.poll(5, TimeUnit.SECONDS));
        assertEquals(0, metrics.queueDelay.get());
    }

    private void publish(String text) {
        hub.onPublication("t", -1, null, ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
    }

    private void subscribe(String topic, Subscriber s) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.eventLoop().execute(() -> hub.subscribe(topic, s, null).started().whenComplete((ok, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
            } else {
                done.complete(null);
            }
        }));
        done.get(5, TimeUnit.SECONDS);
    }

    /** Holds {@code loop} busy until the returned latch is counted down (returns once the loop is held). */
    private static CountDownLatch block(EventLoop loop) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        return release;
    }

    private static final class Counting implements FanoutMetrics {
        final AtomicInteger queueDelay = new AtomicInteger();

        @Override
        public void droppedQueueDelay() {
            queueDelay.incrementAndGet();
        }
    }
}
