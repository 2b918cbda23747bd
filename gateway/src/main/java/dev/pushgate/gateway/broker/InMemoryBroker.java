package dev.pushgate.gateway.broker;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The embedded single-node channel layer and the reference implementation of {@link Broker}.
 *
 * <p>Per topic ({@link MemoryTopic}), assigning the offset, appending to the history ring and handing the
 * publication to the listener happen under the topic's own monitor, so concurrent publishers of one topic are
 * delivered in offset order and "save to history and publish" is atomic; the listener only encodes and enqueues,
 * so the monitor is held for microseconds.
 *
 * <p>Lifetime (ADR 0013): a topic lives while this node subscribes it and, once idle (no subscription), for its
 * history's time to live after it became idle (last unsubscribe or publication); a publish to a topic nobody
 * subscribes still advances its offset and history. A topic that is dropped loses its history, and its next incarnation has a new epoch. Idle
 * topics are dropped lazily (on access) and by a sweep that runs at most once per {@link #SWEEP_INTERVAL_NANOS}
 * on the publishing thread; beyond {@code maxIdleTopics} idle topics the sweep drops the ones that expire first.
 */
public final class InMemoryBroker implements Broker {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int DEFAULT_MAX_IDLE_TOPICS = 100_000;

    private final ConcurrentHashMap<String, MemoryTopic> topics = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final int maxIdleTopics;
    private final Function<String, HistoryPolicy> policies;
    private volatile BrokerListener listener;
    private volatile long nextSweep;

    /** Topics keep no history until they are published with a policy that keeps some. */
    public InMemoryBroker() {
        this(t -> HistoryPolicy.NONE);
    }

    /**
     * {@code policies} gives each topic's history policy (its namespace's), so a topic subscribed before its first
     * publication already outlives its last subscriber for its time to live.
     */
    public InMemoryBroker(Function<String, HistoryPolicy> policies) {
        this(policies, System::nanoTime, DEFAULT_MAX_IDLE_TOPICS);
    }

    /** With the clock ages and expiry are measured on, and the most idle topics kept (for tests). */
    public InMemoryBroker(Function<String, HistoryPolicy> policies, LongSupplier nanoClock, int maxIdleTopics) {
        this.policies = policies;
        this.nanoClock = nanoClock;
        this.maxIdleTopics = maxIdleTopics;
        this.nextSweep = nanoClock.getAsLong() + SWEEP_INTERVAL_NANOS;
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        while (true) {
            MemoryTopic t = live(topic);
            synchronized (t) {
                if (!t.removed) {
                    t.subscribed = true;
                    return DONE;
                }
            }
        }
    }

    @Override
    public CompletionStage<Void> unsubscribe(String topic) {
        MemoryTopic t = topics.get(topic);
        if (t != null) {
            synchronized (t) {
                t.subscribed = false;
                t.idleSince(nanoClock.getAsLong());
            }
        }
        sweepIfDue();
        return DONE;
    }

    @Override
    public CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history) {
        sweepIfDue();
        while (true) {
            MemoryTopic t = live(topic);
            synchronized (t) {
                if (t.removed) {
                    continue;
                }
                long now = nanoClock.getAsLong();
                long offset = t.append(data, history, now);
                if (t.subscribed) {
                    listener.onPublication(topic, offset, t.epoch, data);
                } else {
                    t.idleSince(now);
                }
                return CompletableFuture.completedFuture(new StreamPosition(offset, t.epoch));
            }
        }
    }

    @Override
    public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        sweepIfDue();
        MemoryTopic t = topics.get(topic);
        if (t != null) {
            synchronized (t) {
                long now = nanoClock.getAsLong();
                if (!t.removed && t.expired(now)) {
                    t.removed = true;
                    topics.remove(topic, t);
                }
                if (!t.removed) {
                    return CompletableFuture.completedFuture(t.history(sinceOffset, epoch, limit, now));
                }
            }
        }
        // Never published (or dropped): offset 0 in an epoch nobody has seen; reading creates nothing.
        boolean complete = sinceOffset < 0 || (sinceOffset == 0 && epoch == null);
        return CompletableFuture.completedFuture(new HistoryResult(
                new StreamPosition(0, MemoryTopic.newEpoch()), List.of(), complete));
    }

    @Override
    public CompletionStage<Void> publishJoin(String topic, byte[] member) {
        return event(topic, member, true);
    }

    @Override
    public CompletionStage<Void> publishLeave(String topic, byte[] member) {
        return event(topic, member, false);
    }

    /** Delivers a presence event under the topic's monitor, so it is ordered with the topic's publications. */
    private CompletionStage<Void> event(String topic, byte[] member, boolean join) {
        MemoryTopic t = topics.get(topic);
        if (t != null) {
            synchronized (t) {
                if (t.subscribed) {
                    if (join) {
                        listener.onJoin(topic, member);
                    } else {
                        listener.onLeave(topic, member);
                    }
                }
            }
        }
        return DONE;
    }

    @Override
    public boolean isReady() {
        return listener != null;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void close() {
        topics.clear();
    }

    /** Topics held (subscribed or retained for their history); for tests and stats. */
    public int topicCount() {
        return topics.size();
    }

    /** The topic's state, replacing an expired idle one by a new incarnation (new epoch, offset 0). */
    private MemoryTopic live(String topic) {
        MemoryTopic t = topics.computeIfAbsent(topic, k -> new MemoryTopic(policies.apply(k).ttl()));
        synchronized (t) {
            if (!t.removed && t.expired(nanoClock.getAsLong())) {
                t.removed = true;
                topics.remove(topic, t);
            }
        }
        return t.removed ? topics.computeIfAbsent(topic, k -> new MemoryTopic(policies.apply(k).ttl())) : t;
    }

    private void sweepIfDue() {
        long now = nanoClock.getAsLong();
        long due = nextSweep;
        if (now - due < 0) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_NANOS;
        int idle = 0;
        long latestDrop = Long.MIN_VALUE;
        for (Iterator<MemoryTopic> it = topics.values().iterator(); it.hasNext(); ) {
            MemoryTopic t = it.next();
            synchronized (t) {
                if (t.expired(now)) {
                    t.removed = true;
                    it.remove();
                } else if (!t.subscribed) {
                    idle++;
                }
            }
        }
        if (idle > maxIdleTopics) {
            dropIdle(idle - maxIdleTopics);
        }
    }

    /** Drops {@code count} idle topics, those that would expire first (one pass to find the cut, one to drop). */
    private void dropIdle(int count) {
        long[] expiries = topics.values().stream().filter(t -> !t.subscribed).mapToLong(t -> t.expiresAt)
                .sorted().toArray();
        long cut = expiries[Math.min(count, expiries.length) - 1];
        int dropped = 0;
        for (Iterator<MemoryTopic> it = topics.values().iterator(); it.hasNext() && dropped < count; ) {
            MemoryTopic t = it.next();
            synchronized (t) {
                if (!t.subscribed && t.expiresAt - cut <= 0) {
                    t.removed = true;
                    it.remove();
                    dropped++;
                }
            }
        }
    }
}
