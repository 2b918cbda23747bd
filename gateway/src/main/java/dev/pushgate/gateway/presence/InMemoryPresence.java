package dev.pushgate.gateway.presence;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Presence on one node: a map per topic, emptied topics removed. The reference implementation. Thread-safe. */
public final class InMemoryPresence implements Presence {
    /** How {@link Presence#members} orders members. */
    static final Comparator<PresenceMember> ORDER =
            Comparator.comparing(PresenceMember::node).thenComparing(PresenceMember::client);

    private final ConcurrentHashMap<String, Map<String, PresenceMember>> topics = new ConcurrentHashMap<>();

    @Override
    public void add(String topic, PresenceMember member) {
        topics.compute(topic, (t, members) -> {
            Map<String, PresenceMember> m = members != null ? members : new ConcurrentHashMap<>();
            m.put(member.client(), member);
            return m;
        });
    }

    @Override
    public boolean remove(String topic, String client) {
        boolean[] removed = new boolean[1];
        topics.computeIfPresent(topic, (t, members) -> {
            removed[0] = members.remove(client) != null;
            return members.isEmpty() ? null : members;
        });
        return removed[0];
    }

    @Override
    public CompletionStage<List<PresenceMember>> members(String topic) {
        Map<String, PresenceMember> members = topics.get(topic);
        List<PresenceMember> list = members == null ? List.of() : members.values().stream().sorted(ORDER).toList();
        return CompletableFuture.completedFuture(list);
    }

    @Override
    public void close() {
        topics.clear();
    }
}
