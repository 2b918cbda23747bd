package dev.pushgate.gateway.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One topic with local subscribers: a subscriber list per event loop ({@link Subscription}s), each touched only by
 * its own loop, so fan-out iterates plain arrays with no locks. {@code shardSizes} lets any thread see which loops
 * have subscribers. {@code refs} (the total) is changed only inside the hub's map compute for this topic.
 * {@code continuity} is the node-level position and repair state of the topic.
 */
final class TopicEntry {
    final String topic;
    /** The namespace's slow-consumer policy, resolved once per topic rather than per delivery. */
    final boolean skipWhenSlow;
    final ArrayList<Subscription>[] shards;
    final AtomicIntegerArray shardSizes;
    /**
     * Completes when the broker subscription of this topic is active and its position was read (or not given).
     * Replaced (inside the hub's compute) when a new broker subscription is taken after a failed one.
     */
    volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Node-internal subscribers ({@link Hub#listen}); each also holds one of {@code refs}. */
    final List<Consumer<byte[]>> internal = new CopyOnWriteArrayList<>();
    /** Set by the hub right after construction (it needs the entry for its output). */
    TopicContinuity continuity;
    int refs;

    @SuppressWarnings("unchecked")
    TopicEntry(String topic, int loops, boolean skipWhenSlow) {
        this.topic = topic;
        this.skipWhenSlow = skipWhenSlow;
        this.shards = new ArrayList[loops];
        this.shardSizes = new AtomicIntegerArray(loops);
    }

    /** Adds on the owning loop; the subscription remembers its slot so removing it needs no search. */
    void add(int loop, Subscription s) {
        ArrayList<Subscription> list = shards[loop];
        if (list == null) {
            list = new ArrayList<>(4);
            shards[loop] = list;
        }
        s.slot = list.size();
        list.add(s);
        shardSizes.lazySet(loop, list.size());
    }

    /**
     * Removes on the owning loop in constant time: the last subscription takes the removed one's slot (order among
     * subscribers does not matter). Closing every subscriber of a topic of 10,000 stays linear, not quadratic.
     */
    boolean remove(int loop, Subscription s) {
        ArrayList<Subscription> list = shards[loop];
        int i = s.slot;
        if (list == null || i < 0 || i >= list.size() || list.get(i) != s) {
            return false;
        }
        int last = list.size() - 1;
        Subscription moved = list.remove(last);
        if (i != last) {
            list.set(i, moved);
            moved.slot = i;
        }
        s.slot = -1;
        shardSizes.lazySet(loop, list.size());
        return true;
    }
}
