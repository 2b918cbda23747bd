package dev.pushgate.gateway.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The demos' state in this node's memory, for the memory layer (a single node): every lease is its own. */
public final class InMemoryDemoStore implements DemoStore {
    private final Map<String, Map<String, Long>> polls = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();

    @Override
    public synchronized CompletionStage<Tally> vote(String poll, String candidate, List<String> candidates) {
        polls.computeIfAbsent(poll, p -> new HashMap<>()).merge(candidate, 1L, Long::sum);
        versions.merge(poll, 1L, Long::sum);
        return tally(poll, candidates);
    }

    @Override
    public synchronized CompletionStage<Tally> tally(String poll, List<String> candidates) {
        Map<String, Long> counts = polls.getOrDefault(poll, Map.of());
        Map<String, Long> out = new LinkedHashMap<>();
        candidates.forEach(c -> out.put(c, counts.getOrDefault(c, 0L)));
        return CompletableFuture.completedFuture(new Tally(versions.getOrDefault(poll, 0L), out));
    }

    @Override
    public CompletionStage<String> lease(String name, String holder, Duration ttl) {
        return CompletableFuture.completedFuture(holder);
    }

    @Override
    public void close() {
    }
}
