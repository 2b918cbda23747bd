package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The hub's reads of the broker's history: how a subscription starts (its position, and the all-or-nothing replay
 * of a recovering one), and the repair of holes in a topic's live stream that {@link TopicContinuity} asks for.
 * Never blocks; reads run outside every lock, and a read the layer could not answer is retried later on
 * {@code retries}.
 */
final class HistoryReads {
    private static final Logger log = LoggerFactory.getLogger(HistoryReads.class);
    /** Most publications one recovery read replays (the broker returns at most what its history holds). */
    static final int MAX_REPLAY = 100_000;
    /** Live publications a topic holds while it repairs a hole from history; beyond it the repair gives up. */
    static final int MAX_HELD = 10_000;

    private final Broker broker;
    /** Where delayed repair reads wait (one of the loops: the read itself does not block). */
    private final EventExecutor retries;
    /** Removes a subscription whose broker subscription failed (the hub's unsubscribe, on its loop). */
    private final Consumer<Subscription> remove;

    HistoryReads(Broker broker, EventExecutor retries, Consumer<Subscription> remove) {
        this.broker = broker;
        this.retries = retries;
        this.remove = remove;
    }

    /** On the subscriber's loop: decides how {@code sub} starts (position, recovery) and lets it go live. */
    void begin(Subscription sub, StreamPosition since, Throwable err) {
        if (sub.closed()) {
            return;
        }
        if (err != null) {
            remove.accept(sub);
            sub.fail(err);
            return;
        }
        StreamPosition now = sub.entry.continuity.position();
        if (since == null) {
            sub.start(new Subscription.Start(now, null, List.of()));
            return;
        }
        if (since.equals(now)) {
            sub.start(new Subscription.Start(now, true, List.of()));
            return;
        }
        broker.history(sub.topic(), since.offset(), since.epoch(), MAX_REPLAY).whenComplete((r, herr) ->
                sub.eventLoop().execute(() -> recover(sub, since, now, r, herr)));
    }

    /** The recovery read answered: replay all of it or nothing (never a partial replay). */
    private void recover(Subscription sub, StreamPosition since, StreamPosition before, HistoryResult r,
                         Throwable err) {
        if (sub.closed()) {
            return;
        }
        if (err != null) {
            log.debug("recovery read failed: topic={} error={}", sub.topic(), err.toString());
            sub.start(new Subscription.Start(before, false, List.of()));
            return;
        }
        long overflowed = sub.overflowedAt();
        if (overflowed >= 0) {
            // Live traffic outran the buffer while the read was in flight: start after the last dropped frame.
            sub.start(new Subscription.Start(new StreamPosition(Math.max(overflowed, r.position().offset()),
                    r.position().epoch()), false, List.of()));
            return;
        }
        List<Publication> replay = r.publications();
        boolean whole = r.complete() && r.position().epoch().equals(since.epoch())
                && (replay.isEmpty() ? r.position().offset() == since.offset()
                        : replay.get(0).offset() == since.offset() + 1
                        && replay.get(replay.size() - 1).offset() == r.position().offset());
        sub.start(new Subscription.Start(r.position(), whole, whole ? replay : List.of()));
    }

    /** Runs the history reads a topic's continuity asks for, outside its monitor, until none is left. */
    void repair(TopicEntry entry, TopicContinuity.Repair first) {
        TopicContinuity.Repair r = first;
        while (r != null) {
            TopicContinuity.Repair current = r;
            if (current.retryDelayMillis() > 0) {
                retries.schedule(() -> read(entry, current), current.retryDelayMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            CompletableFuture<HistoryResult> read = read(entry.topic, current);
            if (!read.isDone()) {
                read.whenComplete((res, err) -> repair(entry, entry.continuity.repaired(current, res, err)));
                return;
            }
            HistoryResult res = null;
            Throwable err = null;
            try {
                res = read.join();
            } catch (RuntimeException e) {
                err = e;
            }
            r = entry.continuity.repaired(current, res, err);
        }
    }

    /** A delayed retry of a repair's read. */
    private void read(TopicEntry entry, TopicContinuity.Repair r) {
        read(entry.topic, r).whenComplete((res, err) -> repair(entry, entry.continuity.repaired(r, res, err)));
    }

    private CompletableFuture<HistoryResult> read(String topic, TopicContinuity.Repair r) {
        try {
            return broker.history(topic, r.after(), r.epoch(), MAX_HELD).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
