package dev.pushgate.gateway.broker.redis;

import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The pub/sub liveness probe: every interval it publishes a token on the node's own probe channel (over the
 * publishing connection) and expects it back on the pub/sub connection within {@link #TIMEOUT_INTERVALS} intervals.
 * A probe that does not come back while both connections are open means the link is up but not delivering (a
 * half-dead socket, a stalled proxy): {@code failed} runs, once per lost probe. A probe whose publish fails proves
 * nothing about the pub/sub link and is forgotten. One probe is out at a time. Runs on its own thread; thread-safe.
 */
final class RedisLinkProbe implements AutoCloseable {
    /** How many intervals a probe may take to come back. */
    static final int TIMEOUT_INTERVALS = 3;

    private final StatefulRedisConnection<String, byte[]> publishing;
    private final String channel;
    private final BooleanSupplier pubsubOpen;
    private final Runnable failed;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final AtomicLong tokens = new AtomicLong();
    /** The token of the probe out, or 0. */
    private final AtomicLong outstanding = new AtomicLong();
    private volatile long sentAtNanos;
    private volatile boolean confirmed = true;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-redis-probe");
        t.setDaemon(true);
        return t;
    });

    RedisLinkProbe(StatefulRedisConnection<String, byte[]> publishing, String channel, BooleanSupplier pubsubOpen,
                   Duration interval, Runnable failed) {
        this.publishing = publishing;
        this.channel = channel;
        this.pubsubOpen = pubsubOpen;
        this.failed = failed;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = TIMEOUT_INTERVALS * intervalNanos;
    }

    /** Starts probing. */
    void start() {
        thread.scheduleAtFixedRate(this::tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** A message on the probe channel arrived (on the pub/sub connection's thread). */
    void received(byte[] payload) {
        long token;
        try {
            token = Long.parseLong(new String(payload, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return;
        }
        long out = outstanding.get();
        if (out != 0 && token >= out) {
            outstanding.compareAndSet(out, 0);
        }
        confirmed = true;
    }

    /**
     * Whether the last lost probe has been followed by one that came back (true from the start): false from a
     * failure until the link is seen delivering again.
     */
    boolean delivering() {
        return confirmed;
    }

    /** Forgets the probe out (the pub/sub connection dropped; the next one starts afresh after it returns). */
    void reset() {
        outstanding.set(0);
    }

    private void tick() {
        if (!pubsubOpen.getAsBoolean() || !publishing.isOpen()) {
            outstanding.set(0);
            return;
        }
        long out = outstanding.get();
        if (out != 0) {
            if (System.nanoTime() - sentAtNanos > timeoutNanos && outstanding.compareAndSet(out, 0)) {
                confirmed = false;
                failed.run();
            }
            return;
        }
        long token = tokens.incrementAndGet();
        sentAtNanos = System.nanoTime();
        outstanding.set(token);
        try {
            publishing.async().publish(channel, Long.toString(token).getBytes(StandardCharsets.US_ASCII))
                    .whenComplete((receivers, err) -> {
                        if (err != null) {
                            outstanding.compareAndSet(token, 0);
                        }
                    });
        } catch (RuntimeException e) {
            outstanding.compareAndSet(token, 0);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
