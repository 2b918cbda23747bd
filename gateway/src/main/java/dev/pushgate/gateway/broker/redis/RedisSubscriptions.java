package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's channel subscriptions on the pub/sub connection, driven towards the set of topics the hub wants.
 *
 * <p>Calls only record the wanted state; one task on a single thread compares it with what Redis confirmed and sends
 * the difference as one {@code SUBSCRIBE a b c} and one {@code UNSUBSCRIBE x y}. At most one such batch is in
 * flight; changes that arrive meanwhile go out together in the next one, so a subscribe crossing a last unsubscribe
 * of the same topic always ends in the state last asked for. After a reconnect everything wanted is subscribed again
 * (lettuce also resubscribes what it saw confirmed; the duplicate is harmless) and what is no longer wanted is
 * unsubscribed. All state is confined to the thread; lettuce callbacks hop onto it.
 */
final class RedisSubscriptions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscriptions.class);
    private static final int MAX_CHANNELS_PER_COMMAND = 512;
    private static final long RETRY_DELAY_MILLIS = 1000;

    private final StatefulRedisPubSubConnection<String, byte[]> connection;
    private final String channelPrefix;
    private final RedisMetrics metrics;
    private final Consumer<Set<String>> resubscribed;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-redis-subscriptions");
        t.setDaemon(true);
        return t;
    });

    private final Set<String> desired = new HashSet<>();
    private final Set<String> confirmed = new HashSet<>();
    /** Topics whose state in Redis is unknown after a failed command or a reconnect: unsubscribed unless wanted. */
    private final Set<String> uncertain = new HashSet<>();
    private final Set<String> unsubscribing = new HashSet<>();
    private final Map<String, List<CompletableFuture<Void>>> waiting = new HashMap<>();
    private boolean inFlight;
    private boolean flushQueued;
    private long epoch;
    private long retryAfterNanos;
    private long resyncStartNanos = -1;
    private volatile int subscribedCount;

    RedisSubscriptions(StatefulRedisPubSubConnection<String, byte[]> connection, String channelPrefix,
                       RedisMetrics metrics, Consumer<Set<String>> resubscribed) {
        this.connection = connection;
        this.channelPrefix = channelPrefix;
        this.metrics = metrics;
        this.resubscribed = resubscribed;
    }

    /** Wants {@code topic}; completes once Redis confirmed the subscription, fails if it could not be made. */
    CompletionStage<Void> subscribe(String topic) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            desired.add(topic);
            if (confirmed.contains(topic) && !unsubscribing.contains(topic)) {
                done.complete(null);
                return;
            }
            waiting.computeIfAbsent(topic, t -> new ArrayList<>(1)).add(done);
            queueFlush();
        }, done);
        return done;
    }

    /** No longer wants {@code topic}; completes at once (the UNSUBSCRIBE follows in the next batch). */
    CompletionStage<Void> unsubscribe(String topic) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            desired.remove(topic);
            // Whoever waited for it has left (the hub unsubscribes only when the last subscriber is gone).
            completeWaiting(topic, null);
            queueFlush();
            done.complete(null);
        }, done);
        return done;
    }

    /** The pub/sub connection is back (any thread): subscribe everything wanted again. */
    void reconnected() {
        run(() -> {
            epoch++;
            uncertain.addAll(confirmed);
            confirmed.clear();
            subscribedCount = 0;
            resyncStartNanos = System.nanoTime();
            retryAfterNanos = 0;
            queueFlush();
        }, null);
    }

    /** Channels Redis confirmed for this node (a snapshot for stats). */
    int subscribedCount() {
        return subscribedCount;
    }

    private void queueFlush() {
        if (!flushQueued) {
            flushQueued = true;
            thread.execute(this::flush);
        }
    }

    private void flush() {
        flushQueued = false;
        if (inFlight) {
            return; // the batch's completion flushes again
        }
        long wait = retryAfterNanos - System.nanoTime();
        if (retryAfterNanos != 0 && wait > 0) {
            flushQueued = true;
            thread.schedule(this::flush, wait, TimeUnit.NANOSECONDS);
            return;
        }
        if (!connection.isOpen()) {
            // Fail fast while Redis is away; wanted topics are subscribed again when it returns.
            for (String topic : List.copyOf(waiting.keySet())) {
                completeWaiting(topic, new BrokerUnavailableException("redis unavailable, subscription not made"));
            }
            return;
        }
        List<String> toSubscribe = new ArrayList<>();
        for (String t : desired) {
            if (!confirmed.contains(t)) {
                toSubscribe.add(t);
            }
        }
        Set<String> held = new LinkedHashSet<>(confirmed);
        held.addAll(uncertain);
        held.removeAll(desired);
        List<String> toUnsubscribe = new ArrayList<>(held);
        if (toSubscribe.isEmpty() && toUnsubscribe.isEmpty()) {
            finishResync();
            return;
        }
        inFlight = true;
        unsubscribing.addAll(toUnsubscribe);
        long batchEpoch = epoch;
        CompletableFuture<Void> subscribed = send(toSubscribe, true);
        CompletableFuture<Void> unsubscribed = send(toUnsubscribe, false);
        CompletableFuture.allOf(subscribed, unsubscribed).whenComplete((ok, err) -> run(() -> batchDone(batchEpoch,
                toSubscribe, failure(subscribed), toUnsubscribe, failure(unsubscribed)), null));
    }

    private CompletableFuture<Void> send(List<String> topics, boolean subscribe) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int from = 0; from < topics.size(); from += MAX_CHANNELS_PER_COMMAND) {
            List<String> chunk = topics.subList(from, Math.min(topics.size(), from + MAX_CHANNELS_PER_COMMAND));
            String[] channels = new String[chunk.size()];
            for (int i = 0; i < channels.length; i++) {
                channels[i] = channelPrefix + chunk.get(i);
            }
            try {
                RedisFuture<Void> f = subscribe ? connection.async().subscribe(channels)
                        : connection.async().unsubscribe(channels);
                parts.add(f.toCompletableFuture());
            } catch (RuntimeException e) {
                parts.add(CompletableFuture.failedFuture(e));
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]));
    }

    private void batchDone(long batchEpoch, List<String> subscribed, Throwable subscribeError,
                           List<String> unsubscribed, Throwable unsubscribeError) {
        inFlight = false;
        unsubscribing.clear();
        boolean current = batchEpoch == epoch;
        if (current && subscribeError == null) {
            confirmed.addAll(subscribed);
            subscribed.forEach(uncertain::remove);
            subscribed.forEach(t -> completeWaiting(t, null));
        } else if (current) {
            uncertain.addAll(subscribed);
            log.debug("redis subscribe failed: channels={} error={}", subscribed.size(), subscribeError.toString());
            Throwable failure = RedisFailures.translate(subscribeError);
            subscribed.forEach(t -> completeWaiting(t, failure));
        }
        // A batch from before a reconnect proves nothing about the new connection: its topics stay wanted or
        // uncertain and the resync handles them (their waiters keep waiting for it).
        if (current) {
            unsubscribed.forEach(confirmed::remove);
            if (unsubscribeError == null) {
                unsubscribed.forEach(uncertain::remove);
            } else {
                uncertain.addAll(unsubscribed);
                log.debug("redis unsubscribe failed: channels={} error={}", unsubscribed.size(),
                        unsubscribeError.toString());
            }
        }
        subscribedCount = confirmed.size();
        boolean failed = subscribeError != null || unsubscribeError != null;
        retryAfterNanos = failed && connection.isOpen()
                ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MILLIS) : 0;
        if (failed && !connection.isOpen()) {
            return; // nothing to do until the connection returns
        }
        queueFlush();
    }

    private void finishResync() {
        if (resyncStartNanos < 0) {
            return;
        }
        long nanos = System.nanoTime() - resyncStartNanos;
        resyncStartNanos = -1;
        metrics.resubscribed(confirmed.size(), nanos);
        log.info("redis subscriptions restored: topics={} millis={}", confirmed.size(),
                TimeUnit.NANOSECONDS.toMillis(nanos));
        resubscribed.accept(Set.copyOf(confirmed));
    }

    private void completeWaiting(String topic, Throwable failure) {
        List<CompletableFuture<Void>> list = waiting.remove(topic);
        if (list == null) {
            return;
        }
        for (CompletableFuture<Void> f : list) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private void run(Runnable task, CompletableFuture<Void> onRejected) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            if (onRejected != null) {
                onRejected.completeExceptionally(new BrokerUnavailableException("redis layer closed"));
            }
        }
    }

    /** Fails the waiters and stops the thread. Does not touch the connection (its owner closes it). */
    @Override
    public void close() {
        run(() -> {
            for (String topic : List.copyOf(waiting.keySet())) {
                completeWaiting(topic, new BrokerUnavailableException("redis layer closed"));
            }
        }, null);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
