package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * This node's topic → subscribers index and the fan-out path.
 *
 * <p>Membership: {@link #subscribe} and {@link #unsubscribe} are called on the subscriber's own event loop. The first
 * local subscriber of a topic takes the broker subscription and the last one releases it; both happen inside the
 * map's per-key compute, so for one topic the broker sees subscribe and unsubscribe strictly in order even when a
 * subscribe on one loop crosses the last unsubscribe on another.
 *
 * <p>Delivery: {@link #onPublication} (any broker thread, in topic order) encodes the frame once into one pooled
 * direct buffer and queues one retained reference for each event loop that has subscribers of the topic.
 */
public final class Hub implements BrokerListener {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Broker broker;
    private final ByteBufAllocator alloc;
    private final FanoutMetrics metrics;
    private final Map<EventExecutor, Integer> loopIndex = new IdentityHashMap<>();
    private final LoopOutbox[] outboxes;
    private final ConcurrentHashMap<String, TopicEntry> topics = new ConcurrentHashMap<>();
    private final AtomicLong subscriptions = new AtomicLong();
    private final Predicate<String> skipWhenSlow;

    /**
     * {@code skipWhenSlow} tells, per topic, whether slow subscribers skip messages (true) or are closed;
     * {@code budget} is the node's outbound byte budget the fan-out queues count against.
     */
    public Hub(Broker broker, EventLoopGroup loops, ByteBufAllocator alloc, int queueSize, long writeDelayNanos,
               FanoutMetrics metrics, Predicate<String> skipWhenSlow, OutboundBudget budget) {
        this.broker = broker;
        this.skipWhenSlow = skipWhenSlow;
        this.alloc = alloc;
        this.metrics = metrics;
        List<LoopOutbox> list = new ArrayList<>();
        for (EventExecutor e : loops) {
            loopIndex.put(e, list.size());
            list.add(new LoopOutbox((EventLoop) e, list.size(), queueSize, writeDelayNanos, metrics, alloc, budget));
        }
        this.outboxes = list.toArray(new LoopOutbox[0]);
    }

    /**
     * Adds {@code s} to {@code topic}. Call on {@code s.eventLoop()}. Completes when the topic's broker subscription
     * is active (at once when another local subscriber already holds it); fails when the broker refused it, in
     * which case {@code s} has been removed again.
     */
    public CompletionStage<Void> subscribe(String topic, Subscriber s) {
        int loop = indexOf(s);
        TopicEntry entry = topics.compute(topic, (t, e) -> {
            TopicEntry target = e != null ? e : new TopicEntry(t, outboxes.length, skipWhenSlow.test(t));
            if (target.refs++ == 0) {
                broker.subscribe(t).whenComplete((ok, err) -> {
                    if (err == null) {
                        target.brokerReady.complete(null);
                    } else {
                        target.brokerReady.completeExceptionally(err);
                    }
                });
            }
            return target;
        });
        entry.add(loop, s);
        subscriptions.incrementAndGet();
        CompletableFuture<Void> result = new CompletableFuture<>();
        entry.brokerReady.whenComplete((ok, err) -> {
            if (err == null) {
                result.complete(null);
            } else {
                s.eventLoop().execute(() -> {
                    unsubscribe(topic, s);
                    result.completeExceptionally(err);
                });
            }
        });
        return result;
    }

    /** Removes {@code s} from {@code topic}; call on {@code s.eventLoop()}. Returns whether it was subscribed. */
    public boolean unsubscribe(String topic, Subscriber s) {
        TopicEntry entry = topics.get(topic);
        if (entry == null || !entry.remove(indexOf(s), s)) {
            return false;
        }
        subscriptions.decrementAndGet();
        topics.compute(topic, (t, e) -> {
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

    @Override
    public void onPublication(String topic, long seq, String epoch, byte[] data) {
        long received = System.nanoTime();
        TopicEntry entry = topics.get(topic);
        if (entry == null) {
            metrics.unrouted();
            return;
        }
        fanout(entry, ProtocolCodec.message(topic, seq, data), received);
    }

    /** A presence join of {@code topic}: the {@code join} frame goes to its local subscribers like a message. */
    @Override
    public void onJoin(String topic, byte[] member) {
        TopicEntry entry = topics.get(topic);
        if (entry != null) {
            fanout(entry, ProtocolCodec.join(topic, member), System.nanoTime());
        }
    }

    /** A presence leave of {@code topic}: the {@code leave} frame goes to its local subscribers. */
    @Override
    public void onLeave(String topic, byte[] member) {
        TopicEntry entry = topics.get(topic);
        if (entry != null) {
            fanout(entry, ProtocolCodec.leave(topic, member), System.nanoTime());
        }
    }

    /** Copies {@code frame} once into a pooled buffer and queues a retained reference per loop with subscribers. */
    private void fanout(TopicEntry entry, byte[] frame, long received) {
        ByteBuf buf = alloc.directBuffer(frame.length, frame.length).writeBytes(frame);
        try {
            for (int i = 0; i < outboxes.length; i++) {
                if (entry.shardSizes.get(i) > 0) {
                    outboxes[i].offer(new Delivery(entry, buf.retain(), received));
                }
            }
        } finally {
            buf.release();
        }
    }

    /** Topics with at least one local subscriber. */
    public int topicCount() {
        return topics.size();
    }

    /** Local (connection, topic) subscriptions. */
    public long subscriptionCount() {
        return subscriptions.get();
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
