package dev.pushgate.gateway.presence;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The presence store: which connections are subscribed to a topic, across every node that shares the store.
 * Implementations: {@link InMemoryPresence} (one node) and {@code broker.redis.RedisPresence} (members expire unless
 * their node keeps refreshing them, so a crashed node's members vanish). Thread-safe; never blocks the caller.
 */
public interface Presence extends AutoCloseable {

    /** Adds {@code member} to {@code topic} (again: no change). A store that cannot write now writes it later. */
    void add(String topic, PresenceMember member);

    /** Removes this node's member {@code client} from {@code topic}; returns whether this node held it. */
    boolean remove(String topic, String client);

    /**
     * The members of {@code topic} on every node, ordered by node and client. Fails with
     * {@link dev.pushgate.gateway.broker.BrokerUnavailableException} when the store cannot answer now.
     */
    CompletionStage<List<PresenceMember>> members(String topic);

    /** Stops refreshing and removes this node's members where the store outlives the node. */
    @Override
    void close();
}
