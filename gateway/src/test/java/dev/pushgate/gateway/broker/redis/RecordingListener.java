package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A {@link BrokerListener} that records everything the broker tells it, in arrival order. Thread-safe. */
final class RecordingListener implements BrokerListener {
    /** One callback: a publication (offset, epoch, data), {@code down}, or {@code resubscribed} (topics). */
    record Event(String kind, String topic, long offset, String epoch, String data, Set<String> topics) {
        boolean publication() {
            return kind.equals("publication");
        }
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    final List<Event> all = new CopyOnWriteArrayList<>();
    /** Runs on the broker's thread inside {@link #onLinkDown} (e.g. a publish while the link is down). */
    volatile Runnable onDown = () -> { };

    @Override
    public void onPublication(String topic, long offset, String epoch, byte[] data) {
        add(new Event("publication", topic, offset, epoch, new String(data, StandardCharsets.UTF_8), null));
    }

    @Override
    public void onLinkDown() {
        add(new Event("down", null, -1, null, null, null));
        onDown.run();
    }

    @Override
    public void onResubscribed(Set<String> topics) {
        add(new Event("resubscribed", null, -1, null, null, topics));
    }

    private void add(Event e) {
        all.add(e);
        queue.add(e);
    }

    /** The next event that matches, skipping others (consumed); fails after {@code wait}. */
    Event next(Duration wait, Predicate<Event> match) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            assertNotNull(e, "no matching broker event within " + wait + "; all: " + all);
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** The next event of {@code kind}. */
    Event next(Duration wait, String kind) throws InterruptedException {
        return next(wait, e -> e.kind().equals(kind));
    }
}
