package dev.pushgate.gateway.hub;

import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded queue of deliveries for one event loop. Any thread offers; the loop drains in one task per batch:
 * writes every delivery to the topic's subscribers on this loop, then flushes each touched socket once. With a
 * write delay, the drain is scheduled that much later so bursts share a flush (and a syscall).
 *
 * <p>Fault isolation: an exception while delivering one publication, or from one subscriber, is caught where it
 * happened, counted ({@link FanoutMetrics#fanoutError()}) and logged at WARN at most once per
 * {@link #WARN_INTERVAL_NANOS}; the other subscribers and later publications are still delivered, every buffer is
 * released, and the drain always clears its scheduled flag and reschedules itself while the queue is not empty.
 *
 * <p>Node budget: a publication is queued only if its bytes fit the {@link OutboundBudget} (else dropped and
 * counted). Before each delivery the loop refreshes the budget's level; when the node is short, it first flushes what
 * this batch wrote so far, so the subscribers' backlogs it decides by are what their sockets did not take.
 */
final class LoopOutbox implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LoopOutbox.class);
    private static final int MAX_PER_RUN = 4096;
    /** At most one WARN per loop in this time; the faults in between are counted and reported with the next one. */
    static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final EventLoop loop;
    private final int index;
    private final Queue<Delivery> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long writeDelayNanos;
    private final FanoutMetrics metrics;
    private final ArrayList<Subscriber> touched = new ArrayList<>();
    /** Publications shed for waiting too long (fanout.max-queue-delay), per topic, not yet told. Loop only. */
    private final HashMap<TopicEntry, Integer> shed = new HashMap<>();
    private final ByteBufAllocator alloc;
    /** The current publication prepared per {@link WireFormat} (by ordinal), built on first use; reset per delivery. */
    private final ByteBuf[] prepared = new ByteBuf[WireFormat.values().length];
    /** The current publication's JSON: a view of the WebSocket frame's payload, valid while that is prepared. */
    private ByteBuf payload;
    private final OutboundBudget budget;
    private final LoopBudget loopBudget;
    private long lastWarnNanos;
    private long faultsSinceWarn;
    private boolean warned;

    LoopOutbox(EventLoop loop, int index, int capacity, long writeDelayNanos, FanoutMetrics metrics,
               ByteBufAllocator alloc, OutboundBudget budget) {
        this.alloc = alloc;
        this.budget = budget;
        this.loopBudget = budget.loop(loop);
        this.loop = loop;
        this.index = index;
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        this.writeDelayNanos = writeDelayNanos;
        this.metrics = metrics;
    }

    /** Queues a delivery from any thread (the delivery is shared read-only with the other loops). */
    void offer(Delivery d) {
        int bytes = d.frame().length;
        if (!budget.tryQueue(bytes)) {
            metrics.droppedNodeBudget();
            return;
        }
        if (!queue.offer(d)) {
            budget.dequeued(bytes);
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
        try {
            int done = 0;
            Delivery d;
            while (done < MAX_PER_RUN && (d = queue.poll()) != null) {
                budget.dequeued(d.frame().length);
                done++;
                if (loopBudget.expired(d.receivedNanos())) {
                    metrics.droppedQueueDelay();
                    shed.merge(d.entry(), 1, Integer::sum);
                    continue;
                }
                checkBudget();
                tellShed(d.entry(), d.receivedNanos());
                deliver(d, true);
            }
            if (!shed.isEmpty() && queue.isEmpty()) {
                tellAllShed();
            }
        } finally {
            try {
                flushTouched();
            } finally {
                scheduled.set(false);
                if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                    loop.execute(this);
                }
            }
        }
    }

    /** When the node is short of outbound memory, decide on flushed backlogs: flush this batch's writes first. */
    private void checkBudget() {
        try {
            if (loopBudget.refresh() != OutboundBudget.Level.UNDER && !touched.isEmpty()) {
                flushTouched();
                loopBudget.refresh();
            }
        } catch (Throwable t) {
            fault("budget", t);
        }
    }

    /** Writes one publication to this loop's subscribers of its topic; never throws, releases what it prepared. */
    /**
     * Before the first publication of {@code entry} delivered after some were shed: the subscribers on this loop are
     * told how many they missed ({@code skipped}, the notice a slow consumer gets), so a page can re-read its state or
     * recover with {@code since}. One notice per topic and loop, prepared once like any publication.
     */
    private void tellShed(TopicEntry entry, long receivedNanos) {
        if (shed.isEmpty()) {
            return;
        }
        Integer n = shed.remove(entry);
        if (n != null) {
            deliver(new Delivery(entry, ProtocolCodec.skipped(Map.of(entry.topic, n)), receivedNanos), false);
        }
    }

    /** The queue is drained: tell every topic that shed and got nothing newer since. */
    private void tellAllShed() {
        long now = System.nanoTime();
        var entries = new ArrayList<>(shed.keySet());
        for (TopicEntry e : entries) {
            tellShed(e, now);
        }
    }

    /** Writes {@code d} to this loop's subscribers of its topic; {@code count}: a publication (not a notice). */
    private void deliver(Delivery d, boolean count) {
        try {
            ArrayList<Subscription> subs = d.entry().shards[index];
            if (subs == null || subs.isEmpty()) {
                return;
            }
            int written = 0;
            for (int i = 0; i < subs.size(); i++) {
                if (deliverTo(subs.get(i), d)) {
                    written++;
                }
            }
            if (written > 0 && count) {
                metrics.delivered(written, (long) written * d.frame().length,
                        System.nanoTime() - d.receivedNanos());
            }
        } catch (Throwable t) {
            fault("publication", t);
        } finally {
            for (int i = 0; i < prepared.length; i++) {
                if (prepared[i] != null) {
                    prepared[i].release();
                    prepared[i] = null;
                }
            }
            payload = null;
        }
    }

    /**
     * The publication in {@code format}, built the first time a subscriber of that format asks for it. The WebSocket
     * frame is always built first: its payload is {@link #payload}, what the other formats are made from.
     */
    private ByteBuf prepared(WireFormat format, byte[] frame) {
        ByteBuf p = prepared[format.ordinal()];
        if (p == null) {
            if (payload == null) {
                ByteBuf ws = WireFrames.encode(alloc, frame);
                prepared[WireFormat.WEBSOCKET.ordinal()] = ws;
                payload = ws.slice(WireFrames.headerLength(frame.length), frame.length);
                if (format == WireFormat.WEBSOCKET) {
                    return ws;
                }
            }
            p = SseEvents.encode(alloc, payload);
            prepared[format.ordinal()] = p;
        }
        return p;
    }

    /** One subscriber's share of a publication; a subscriber that throws is counted and skipped. */
    private boolean deliverTo(Subscriber s, Delivery d) {
        try {
            ByteBuf wire = prepared(s.format(), d.frame());
            // The subscriber owns both from here on, whatever it does (see Subscriber#deliver). Derived from the
            // pooled frame itself (not from the payload view), so Netty hands out recycled derived buffers.
            ByteBuf ws = prepared[WireFormat.WEBSOCKET.ordinal()];
            int length = d.frame().length;
            if (!s.deliver(ws.retainedSlice(ws.readableBytes() - length, length), wire.retainedDuplicate(),
                    d.entry().topic,
                    d.entry().skipWhenSlow)) {
                return false;
            }
            if (!s.flushPending()) {
                s.flushPending(true);
                touched.add(s);
            }
            return true;
        } catch (Throwable t) {
            fault("subscriber", t);
            return false;
        }
    }

    private void flushTouched() {
        try {
            for (int i = 0; i < touched.size(); i++) {
                Subscriber s = touched.get(i);
                try {
                    s.flushPending(false);
                    s.flush();
                } catch (Throwable t) {
                    fault("flush", t);
                }
            }
        } finally {
            touched.clear();
        }
    }

    /**
     * A fault of the fan-out path (not of a client: clients cannot make a write throw): counted every time, logged
     * with its stack trace at most once per interval, with how many were not logged since the last line.
     */
    private void fault(String stage, Throwable t) {
        try {
            metrics.fanoutError();
            faultsSinceWarn++;
            long now = System.nanoTime();
            if (!warned || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
                warned = true;
                lastWarnNanos = now;
                long faults = faultsSinceWarn;
                faultsSinceWarn = 0;
                log.warn("fan-out delivery failed, continuing: loop={} stage={} faultsSinceLastWarn={} error={}",
                        index, stage, faults, t.toString(), t);
            }
        } catch (Throwable ignored) {
            // Reporting must not be what stops the loop (e.g. out of memory while logging).
        }
    }

    /** Releases whatever is still queued (shutdown). */
    void discard() {
        Delivery d;
        while ((d = queue.poll()) != null) {
            budget.dequeued(d.frame().length);
        }
    }
}
