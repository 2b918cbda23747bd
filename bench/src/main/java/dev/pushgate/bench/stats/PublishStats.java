package dev.pushgate.bench.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publish counters over every publisher: sent (written to the wire), accepted (acknowledged by the server: a
 * WebSocket ack, an HTTP 200, a completed Redis {@code PUBLISH}) per topic, and failed. Expected deliveries are
 * computed from the accepted counts. Thread-safe.
 */
public final class PublishStats {
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLongArray acceptedPerTopic;

    /** Counters for {@code topics} topics. */
    public PublishStats(int topics) {
        this.acceptedPerTopic = new AtomicLongArray(topics);
    }

    public void sent(int count) {
        sent.add(count);
    }

    public void accepted(int topic) {
        acceptedPerTopic.incrementAndGet(topic);
    }

    public void failed(int count) {
        failed.add(count);
    }

    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** Accepted messages summed over all topics. */
    public long accepted() {
        long total = 0;
        for (int i = 0; i < acceptedPerTopic.length(); i++) {
            total += acceptedPerTopic.get(i);
        }
        return total;
    }

    /** A copy of the accepted count of every topic. */
    public long[] acceptedPerTopic() {
        long[] copy = new long[acceptedPerTopic.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = acceptedPerTopic.get(i);
        }
        return copy;
    }
}
