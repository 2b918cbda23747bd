package dev.pushgate.bench.load;

import dev.pushgate.bench.payload.PayloadWriter;
import dev.pushgate.bench.stats.MicroClock;
import dev.pushgate.bench.stats.PublishStats;

import java.util.List;

/**
 * What every publisher shares: topic names (message {@code n} goes to topic {@code n % topics.size()}), the
 * payload writer, the clock and the publish counters. All immutable or thread-safe.
 */
public record PublishContext(List<String> topics, PayloadWriter payload, MicroClock clock, PublishStats stats) {
    public PublishContext {
        topics = List.copyOf(topics);
    }

    /** The topic index of message {@code n}. */
    public int topicOf(long n) {
        return (int) (n % topics.size());
    }
}
