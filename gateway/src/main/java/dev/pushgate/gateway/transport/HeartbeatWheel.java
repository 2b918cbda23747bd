package dev.pushgate.gateway.transport;

import io.netty.util.concurrent.EventExecutor;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server heartbeat of every WebSocket, as one periodic task per event loop instead of one timer per connection:
 * each loop's task walks the {@link FrameGuardHandler}s of its channels every {@code tick} and lets each decide
 * whether to Ping or to time out. Pings and timeouts come up to one tick late: the tick is a tenth of the shorter of
 * the interval and the grace, between 10 ms and 1 s. Thread safety: the per-loop sets are touched only on their own
 * loop; the map of loops is concurrent. Shared by all the connections of one gateway.
 */
final class HeartbeatWheel {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long intervalNanos;
    private final long graceNanos;
    private final long tickNanos;
    private final ConcurrentHashMap<EventExecutor, Loop> loops = new ConcurrentHashMap<>();

    HeartbeatWheel(long intervalNanos, long timeoutNanos) {
        this.intervalNanos = intervalNanos;
        this.graceNanos = timeoutNanos - intervalNanos;
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, Math.min(intervalNanos, graceNanos) / 10));
    }

    long intervalNanos() {
        return intervalNanos;
    }

    long graceNanos() {
        return graceNanos;
    }

    /** Starts watching a connection; on its event loop. */
    void add(FrameGuardHandler guard, EventExecutor loop) {
        loops.computeIfAbsent(loop, this::start).add(guard);
    }

    /** Stops watching it (idempotent); on its event loop. */
    void remove(FrameGuardHandler guard, EventExecutor loop) {
        Loop l = loops.get(loop);
        if (l != null) {
            l.remove(guard);
        }
    }

    private Loop start(EventExecutor executor) {
        Loop loop = new Loop(executor);
        executor.scheduleAtFixedRate(loop, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        return loop;
    }

    /** The connections of one event loop, in an array with swap-remove (each guard knows its slot). */
    private static final class Loop implements Runnable {
        private final EventExecutor executor;
        private FrameGuardHandler[] guards = new FrameGuardHandler[16];
        private int size;

        Loop(EventExecutor executor) {
            this.executor = executor;
        }

        void add(FrameGuardHandler guard) {
            if (guard.slot >= 0) {
                return;
            }
            if (size == guards.length) {
                guards = Arrays.copyOf(guards, size * 2);
            }
            guard.slot = size;
            guards[size++] = guard;
        }

        void remove(FrameGuardHandler guard) {
            int i = guard.slot;
            if (i < 0 || i >= size || guards[i] != guard) {
                return;
            }
            FrameGuardHandler last = guards[--size];
            guards[i] = last;
            last.slot = i;
            guards[size] = null;
            guard.slot = -1;
        }

        @Override
        public void run() {
            long now = executor.ticker().nanoTime();
            // A guard may remove itself (its channel closes) while we walk: walk from the end so the swap-remove
            // only moves guards that were already visited.
            for (int i = size - 1; i >= 0; i--) {
                if (i < size) {
                    guards[i].tick(now);
                }
            }
        }
    }
}
