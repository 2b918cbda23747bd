package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This node's topic → subscribers index and the fan-out path.
 *
 * <p>Membership: {@link #subscribe} and {@link #unsubscribe} are called on the subscriber's own event loop. The first
 * local subscriber of a topic takes the broker subscription and the last one releases it; both happen inside the
 * map's per-key compute, so for one topic the broker sees subscribe and unsubscribe strictly in order even when a
 * subscribe on one loop crosses the last unsubscribe on another.
 *
 * <p>Delivery: {@link #onPublication} (any broker thread, in topic order) goes through the topic's
 * {@link TopicContinuity} (which drops duplicates and repairs holes from history), then the frame is encoded once
 * and the same (read-only) bytes are queued for each event loop that has subscribers of the topic; each loop builds
 * its own wire bytes from them. Per-subscription state (generation, start position, recovery buffer) is in {@link Subscription}.
 */
public final class Hub implements BrokerListener {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Broker broker;
    private final FanoutMetrics metrics;
    private final Map<EventExecutor, Integer> loopIndex = new IdentityHashMap<>();
    private final LoopOutbox[] outboxes;
    /** The budget share of each outbox's loop, by outbox index. */
    private final LoopBudget[] loopBudgets;
    private final ConcurrentHashMap<String, TopicEntry> topics = new ConcurrentHashMap<>();
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();
    private final List<TopicEntry> internalEntries = new CopyOnWriteArrayList<>();
    private final Predicate<String> skipWhenSlow;
    private final HistoryReads reads;
    private final OutboundBudget budget;

    /**
     * {@code skipWhenSlow} tells, per topic, whether slow subscribers skip messages (true) or are closed;
     * {@code budget} is the node's outbound byte budget the fan-out queues count against.
     */
    public Hub(Broker broker, EventLoopGroup loops, ByteBufAllocator alloc, int queueSize, long writeDelayNanos,
               FanoutMetrics metrics, Predicate<String> skipWhenSlow, OutboundBudget budget) {
        this.broker = broker;
        this.skipWhenSlow = skipWhenSlow;
        this.budget = budget;
        this.metrics = metrics;
        List<LoopOutbox> list = new ArrayList<>();
        for (EventExecutor e : loops) {
            loopIndex.put(e, list.size());
            list.add(new LoopOutbox((EventLoop) e, list.size(), queueSize, writeDelayNanos, metrics, alloc, budget));
        }
        this.outboxes = list.toArray(new LoopOutbox[0]);
        this.loopBudgets = new LoopBudget[outboxes.length];
        for (EventExecutor e : loops) {
            loopBudgets[loopIndex.get(e)] = budget.loop(e);
        }
        this.reads = new HistoryReads(broker, loops.next(), this::unsubscribe);
    }

    /**
     * Adds a subscription of {@code s} to {@code topic}; call on {@code s.eventLoop()}. {@code since} (nullable) is
     * the position the client asks to recover from. The subscription's {@link Subscription#started()} completes on
     * that loop once the topic's broker subscription is active (at once when another local subscriber already holds
     * it): with the position to acknowledge and, with {@code since}, the replay; it fails when the broker refused
     * the subscription, which is then removed again — only this attempt, never a newer one of the same topic.
     */
    public Subscription subscribe(String topic, Subscriber s, StreamPosition since) {
        int loop = indexOf(s);
        TopicEntry entry = topics.compute(topic, (t, e) -> take(t, e));
        CompletableFuture<Void> ready = entry.ready;
        Subscription sub = new Subscription(entry, s, generations.incrementAndGet(), since != null);
        entry.add(loop, sub);
        subscriptions.incrementAndGet();
        ready.whenComplete((ok, err) -> s.eventLoop().execute(() -> reads.begin(sub, since, err)));
        return sub;
    }

    /**
     * A node-internal subscriber of {@code topic} for the node's whole life (cluster stats): {@code listener} gets
     * the data of every publication, on the broker's thread and in order, before local subscribers do; it must not
     * block. It holds the topic's broker subscription, so the last client leaving does not cut this node off.
     */
    public void listen(String topic, Consumer<byte[]> listener) {
        topics.compute(topic, (t, e) -> {
            TopicEntry target = take(t, e);
            target.internal.add(listener);
            internalEntries.add(target);
            return target;
        });
    }

    /**
     * Counts one more reference to {@code t}'s entry (inside the map's compute) and takes the broker subscription
     * for the first one, or again when the last attempt failed.
     */
    private TopicEntry take(String t, TopicEntry e) {
        TopicEntry target = e != null ? e : newEntry(t);
        if (target.refs++ == 0 || target.ready.isCompletedExceptionally()) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            target.ready = ready;
            broker.subscribe(t).whenComplete((ok, err) -> {
                if (err != null) {
                    ready.completeExceptionally(err);
                    return;
                }
                // The position the topic starts from on this node, so a hole before the first live
                // publication (a link blip) can be repaired; a layer without positions just starts unseeded.
                broker.history(t, -1, null, 0).whenComplete((r, herr) -> {
                    if (herr == null) {
                        target.continuity.seed(r.position());
                    }
                    ready.complete(null);
                });
            });
        }
        return target;
    }

    /**
     * Removes {@code sub} from its topic; call on its subscriber's loop. Returns whether it was still subscribed
     * (false when it was removed already: idempotent).
     */
    public boolean unsubscribe(Subscription sub) {
        if (sub.closed()) {
            return false;
        }
        sub.close();
        TopicEntry entry = sub.entry;
        if (!entry.remove(indexOf(sub), sub)) {
            return false;
        }
        subscriptions.decrementAndGet();
        topics.compute(entry.topic, (t, e) -> {
            if (e != entry) {
                return e;
            }
            if (--e.refs == 0) {
                broker.unsubscribe(t).whenComplete((ok, err) -> {
                    if (err != null) {
                        log.debug("broker unsubscribe failed: topic={} error={}", t, err.toString());
                    }
                });
                return null;
            }
            return e;
        });
        return true;
    }

    private TopicEntry newEntry(String topic) {
        TopicEntry e = new TopicEntry(topic, outboxes.length, skipWhenSlow.test(topic));
        e.continuity = new TopicContinuity(new TopicContinuity.Output() {
            @Override
            public void message(long offset, byte[] data) {
                for (Consumer<byte[]> l : e.internal) {
                    try {
                        l.accept(data);
                    } catch (RuntimeException ex) {
                        log.warn("internal subscriber failed: topic={}", topic, ex);
                    }
                }
                if (e.internal.isEmpty() || hasSubscribers(e)) {
                    fanout(e, ProtocolCodec.message(topic, offset, data), budget.now());
                }
            }

            @Override
            public void gap(String epoch, long seq) {
                if (!hasSubscribers(e)) {
                    // Only the node-internal subscriber (cluster stats, a namespace without history) missed
                    // something: nobody is told, so nothing is counted (the meter says subscribers got a gap).
                    log.debug("topic gap without local subscribers: topic={} epoch={} seq={}", topic, epoch, seq);
                    return;
                }
                log.debug("topic gap: topic={} epoch={} seq={}", topic, epoch, seq);
                metrics.topicGap();
                fanout(e, ProtocolCodec.gap(topic, epoch, seq), budget.now());
            }

            @Override
            public void repaired() {
                metrics.topicRepaired();
            }
        }, HistoryReads.MAX_HELD);
        return e;
    }

    @Override
    public void onPublication(String topic, long offset, String epoch, byte[] data) {
        TopicEntry entry = topics.get(topic);
        if (entry == null) {
            metrics.unrouted();
            return;
        }
        reads.repair(entry, entry.continuity.publication(offset, epoch, data));
    }

    @Override
    public void onLinkDown() {
        for (TopicEntry e : topics.values()) {
            e.continuity.linkDown();
        }
    }

    @Override
    public void onResubscribed(Set<String> resubscribed) {
        for (TopicEntry e : topics.values()) {
            reads.repair(e, e.continuity.resubscribed());
        }
    }

    /** A presence join of {@code topic}: the {@code join} frame goes to its local subscribers like a message. */
    @Override
    public void onJoin(String topic, byte[] member) {
        TopicEntry entry = topics.get(topic);
        if (entry != null) {
            fanout(entry, ProtocolCodec.join(topic, member), budget.now());
        }
    }

    /** A presence leave of {@code topic}: the {@code leave} frame goes to its local subscribers. */
    @Override
    public void onLeave(String topic, byte[] member) {
        TopicEntry entry = topics.get(topic);
        if (entry != null) {
            fanout(entry, ProtocolCodec.leave(topic, member), budget.now());
        }
    }

    /**
     * Queues {@code frame} (not copied: each loop writes its wire bytes from it, see {@link LoopOutbox}) for every
     * loop with subscribers of the topic.
     */
    private void fanout(TopicEntry entry, byte[] frame, long received) {
        Delivery d = new Delivery(entry, frame, received);
        for (int i = 0; i < outboxes.length; i++) {
            if (entry.shardSizes.get(i) > 0) {
                loopBudgets[i].arrived(received);
                outboxes[i].offer(d);
            }
        }
    }

    /** Topics with at least one local (client) subscriber. */
    public int topicCount() {
        int n = topics.size();
        for (TopicEntry e : internalEntries) {
            if (topics.get(e.topic) == e && !hasSubscribers(e)) {
                n--;
            }
        }
        return n;
    }

    private static boolean hasSubscribers(TopicEntry e) {
        for (int i = 0; i < e.shardSizes.length(); i++) {
            if (e.shardSizes.get(i) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Local (connection, topic) subscriptions. */
    public long subscriptionCount() {
        return subscriptions.get();
    }

    /** The topic's node-level position and repair state (for tests), or null without local subscribers. */
    TopicContinuity continuity(String topic) {
        TopicEntry e = topics.get(topic);
        return e == null ? null : e.continuity;
    }

    /** The topics this node needs from the broker (for resubscribing after a broker reconnect). */
    public Set<String> topics() {
        return Set.copyOf(topics.keySet());
    }

    /** Releases queued deliveries; call after the event loops stopped taking work. */
    public void discardPending() {
        for (LoopOutbox o : outboxes) {
            o.discard();
        }
    }

    private int indexOf(Subscriber s) {
        Integer i = loopIndex.get(s.eventLoop());
        if (i == null) {
            throw new IllegalStateException("subscriber's event loop is not one of the hub's");
        }
        return i;
    }
}
