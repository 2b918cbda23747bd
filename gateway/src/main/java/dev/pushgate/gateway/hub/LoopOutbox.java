package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded queue of deliveries for one event loop. Any thread offers; the loop drains in one task per batch:
 * writes every delivery to the topic's subscribers on this loop, then flushes each touched socket once. With a
 * write delay, the drain is scheduled that much later so bursts share a flush (and a syscall).
 */
final class LoopOutbox implements Runnable {
    private static final int MAX_PER_RUN = 4096;

    private final EventLoop loop;
    private final int index;
    private final Queue<Delivery> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long writeDelayNanos;
    private final FanoutMetrics metrics;
    private final ArrayList<Subscriber> touched = new ArrayList<>();
    private final WireFrames wireFrames;

    LoopOutbox(EventLoop loop, int index, int capacity, long writeDelayNanos, FanoutMetrics metrics,
               ByteBufAllocator alloc) {
        this.wireFrames = new WireFrames(alloc);
        this.loop = loop;
        this.index = index;
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        this.writeDelayNanos = writeDelayNanos;
        this.metrics = metrics;
    }

    /** Queues a delivery from any thread; takes ownership of its frame. */
    void offer(Delivery d) {
        if (!queue.offer(d)) {
            d.frame().release();
            metrics.droppedQueueFull();
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            if (writeDelayNanos > 0) {
                loop.schedule(this, writeDelayNanos, TimeUnit.NANOSECONDS);
            } else {
                loop.execute(this);
            }
        }
    }

    @Override
    public void run() {
        int done = 0;
        Delivery d;
        while (done < MAX_PER_RUN && (d = queue.poll()) != null) {
            deliver(d);
            done++;
        }
        flushTouched();
        scheduled.set(false);
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    private void deliver(Delivery d) {
        try {
            ArrayList<Subscriber> subs = d.entry().shards[index];
            if (subs == null) {
                return;
            }
            int written = 0;
            ByteBuf wire = wireFrames.encode(d.frame());
            try {
                for (int i = 0; i < subs.size(); i++) {
                    Subscriber s = subs.get(i);
                    if (!s.deliver(d.frame().retainedDuplicate(), wire.retainedDuplicate(), d.entry().topic,
                            d.entry().skipWhenSlow)) {
                        continue;
                    }
                    written++;
                    if (!s.flushPending()) {
                        s.flushPending(true);
                        touched.add(s);
                    }
                }
            } finally {
                wire.release();
            }
            if (written > 0) {
                metrics.delivered(written, (long) written * d.frame().readableBytes(),
                        System.nanoTime() - d.receivedNanos());
            }
        } finally {
            d.frame().release();
        }
    }

    private void flushTouched() {
        for (int i = 0; i < touched.size(); i++) {
            Subscriber s = touched.get(i);
            s.flushPending(false);
            s.flush();
        }
        touched.clear();
    }

    /** Releases whatever is still queued (shutdown). */
    void discard() {
        Delivery d;
        while ((d = queue.poll()) != null) {
            d.frame().release();
        }
    }
}
