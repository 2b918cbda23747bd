package dev.pushgate.gateway.hub;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pushgate.gateway.broker.InMemoryBroker;
import dev.pushgate.gateway.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 3: a subscriber whose write (or flush) throws must not stop its event loop's fan-out. Real hub, real
 * Netty event loop, hand-written subscribers: the healthy ones get every publication, before and after the faults,
 * every fault is counted, the WARN is rate-limited, and no buffer leaks (paranoid leak detector).
 */
class FanoutFaultIsolationTest {
    private EventLoopGroup group;
    private Hub hub;
    private final CountingMetrics metrics = new CountingMetrics();
    private ListAppender<ILoggingEvent> warnings;
    private Logger outboxLog;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InMemoryBroker broker = new InMemoryBroker();
        hub = new Hub(broker, group, PooledByteBufAllocator.DEFAULT, 1024, 0, metrics, t -> false,
                new OutboundBudget(64L << 20, group, 1 << 18));
        broker.start(hub);
        outboxLog = (Logger) LoggerFactory.getLogger(LoopOutbox.class);
        warnings = new ListAppender<>();
        warnings.start();
        outboxLog.addAppender(warnings);
    }

    @AfterEach
    void stop() {
        outboxLog.detachAppender(warnings);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        hub.discardPending();
    }

    @Test
    void aThrowingSubscriberDoesNotStopTheLoopOrLeak() throws Exception {
        EventLoop loop = group.next();
        RecordingSubscriber before = new RecordingSubscriber(loop);
        Throwing bad = new Throwing(loop, false);
        Throwing badFlush = new Throwing(loop, true);
        RecordingSubscriber after = new RecordingSubscriber(loop);
        subscribe("t", before, bad, badFlush, after);
        RecordingSubscriber other = new RecordingSubscriber(loop);
        subscribe("u", other);

        int n = 50;
        for (int i = 0; i < n; i++) {
            hub.onPublication("t", -1, null, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            hub.onPublication("u", -1, null, ("{\"j\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        for (RecordingSubscriber r : List.of(before, after)) {
            for (int i = 0; i < n; i++) {
                String frame = r.frames.poll(5, TimeUnit.SECONDS);
                assertNotNull(frame, "publication " + i + " did not arrive after a subscriber threw");
                assertTrue(frame.contains("{\"i\":" + i + "}"), frame);
            }
        }
        for (int i = 0; i < n; i++) {
            String frame = other.frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "another topic's publication " + i + " did not arrive");
        }
        assertEquals(n, bad.calls.get());
        // Every throwing deliver, and the throwing flush of each batch (at least one), are counted.
        Await.until(Duration.ofSeconds(5), () -> metrics.faults.get() >= n + 1,
                () -> "faults: " + metrics.faults.get());
        int warns;
        synchronized (warnings) {
            warns = (int) warnings.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
        }
        assertEquals(1, warns, "one WARN per interval, not one per fault");
    }

    @Test
    void runningOutOfDirectMemoryWhileFramingDropsThatPublicationOnly() throws Exception {
        FailingAllocator alloc = new FailingAllocator();
        InMemoryBroker broker = new InMemoryBroker();
        hub = new Hub(broker, group, alloc, 1024, 0, metrics, t -> false,
                new OutboundBudget(64L << 20, group, 1 << 18));
        broker.start(hub);
        RecordingSubscriber r = new RecordingSubscriber(group.next());
        subscribe("t", r);
        alloc.failOnLoop = true;
        for (int i = 0; i < 5; i++) {
            hub.onPublication("t", -1, null, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        Await.until(Duration.ofSeconds(5), () -> metrics.faults.get() >= 5, () -> "faults: " + metrics.faults.get());
        alloc.failOnLoop = false;
        hub.onPublication("t", -1, null, "{\"i\":5}".getBytes(StandardCharsets.UTF_8));
        String frame = r.frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, "the loop delivers again once memory is back");
        assertTrue(frame.contains("{\"i\":5}"), frame);
        assertEquals(0, r.frames.size());
    }

    /** A pooled allocator that, when told to, fails every direct allocation made on an event loop (framing). */
    private static final class FailingAllocator extends PooledByteBufAllocator {
        volatile boolean failOnLoop;

        FailingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            if (failOnLoop && Thread.currentThread().getName().startsWith("multiThreadIoEventLoopGroup")) {
                throw new OutOfMemoryError("simulated: failed to allocate direct memory");
            }
            return super.newDirectBuffer(initialCapacity, maxCapacity);
        }
    }

    private void subscribe(String topic, Subscriber... subs) throws Exception {
        for (Subscriber s : subs) {
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
    }

    /** A subscriber with a bug: its deliver (or its flush) throws; it still releases what it owns. */
    private static final class Throwing extends RecordingSubscriber {
        final AtomicInteger calls = new AtomicInteger();
        final boolean inFlush;

        Throwing(EventLoop loop, boolean inFlush) {
            super(loop);
            this.inFlush = inFlush;
        }

        @Override
        void record(ByteBuf frame, ByteBuf wire) {
            if (!inFlush) {
                calls.incrementAndGet();
                throw new IllegalStateException("subscriber bug"); // the buffers are released all the same
            }
            super.record(frame, wire);
        }

        @Override
        public void flush() {
            if (inFlush) {
                throw new OutOfMemoryError("simulated: cannot allocate while flushing");
            }
        }
    }

    private static final class CountingMetrics implements FanoutMetrics {
        final AtomicInteger faults = new AtomicInteger();

        @Override
        public void fanoutError() {
            faults.incrementAndGet();
        }
    }
}
