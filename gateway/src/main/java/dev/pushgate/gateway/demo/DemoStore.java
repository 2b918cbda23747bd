package dev.pushgate.gateway.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where the demos keep what every node must agree on, in the channel layer: the live vote's counts and the lease
 * that picks the one node whose log the tail demo follows. {@link InMemoryDemoStore} on the memory layer (one node),
 * {@code RedisDemoStore} on Redis (shared by every node on it). Thread-safe; never blocks; a stage fails with
 * {@link dev.pushgate.gateway.broker.BrokerUnavailableException} when the layer is down.
 */
public interface DemoStore extends AutoCloseable {

    /** A poll's counts at one moment; {@code version} rises with every vote, cluster-wide. */
    record Tally(long version, Map<String, Long> counts) {
        public Tally {
            counts = Map.copyOf(counts);
        }
    }

    /** Adds one vote for {@code candidate} to {@code poll} and answers the counts right after it, atomically. */
    CompletionStage<Tally> vote(String poll, String candidate, List<String> candidates);

    /** The current counts of {@code poll} (candidates never voted for count 0). */
    CompletionStage<Tally> tally(String poll, List<String> candidates);

    /**
     * Takes the lease {@code name} for {@code holder}, or renews it if {@code holder} has it, for {@code ttl}; answers
     * whoever holds it afterwards (another node while its lease runs).
     */
    CompletionStage<String> lease(String name, String holder, Duration ttl);

    @Override
    void close();
}
