package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;

import java.util.ArrayDeque;

/**
 * Node-level continuity of one topic: the position (epoch + offset) of the last publication this node handed to
 * its local subscribers, and the repair of holes. A live publication whose offset jumps ahead, or a broker link that
 * went down and came back, starts a <em>repair</em>: live publications are held (bounded) while the missing range is
 * read from history, then delivered in offset order before the held ones. When history cannot cover the hole (epoch
 * changed, trimmed, read failed, held buffer full) every local subscriber gets a {@code gap} and delivery goes on
 * from the new position. Offsets at or below the last delivered one are dropped (they came both live and from
 * history).
 *
 * <p>Thread-safe: every method takes the instance's monitor and {@link Output} is called under it, so a topic's
 * frames are handed to the outboxes in order. The history read itself must happen <em>outside</em> the monitor
 * (the in-memory broker calls the hub under its own topic lock): methods that need one return a {@link Repair} for
 * the caller to run and report back with {@link #repaired}.
 */
final class TopicContinuity {
    /** Where delivered publications and gaps go (the hub's fan-out); called under the monitor. */
    interface Output {
        void message(long offset, byte[] data);

        void gap(String epoch, long seq);

        /** A hole was filled from history. */
        void repaired();
    }

    /**
     * A history read to run: the publications after {@code after} in {@code epoch}; {@code attempt} counts reads of
     * this repair that failed (the channel layer was unavailable): run it after {@link #retryDelayMillis()}.
     */
    record Repair(long id, long after, String epoch, int attempt) {
        /** How long to wait before this read: nothing for a first one, then 100 ms doubling to 1.6 s. */
        long retryDelayMillis() {
            return attempt == 0 ? 0 : 100L << Math.min(attempt - 1, 4);
        }
    }

    /** Failed reads of one repair before it gives up with a gap. */
    static final int MAX_ATTEMPTS = 6;

    private record Held(long offset, String epoch, byte[] data) {
    }

    private final Output out;
    private final int maxHeld;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private String epoch;
    private long last = -1;
    /** Live publications are held (link down, or a repair in flight). */
    private boolean holding;
    private boolean linkDown;
    private long repairId;
    private long gaps;
    private long repairs;

    TopicContinuity(Output out, int maxHeld) {
        this.out = out;
        this.maxHeld = maxHeld;
    }

    /** The position of the last publication delivered to local subscribers, or null before the first is known. */
    synchronized StreamPosition position() {
        return epoch == null ? null : new StreamPosition(last, epoch);
    }

    /** Starts from {@code p} (the topic's position read when this node subscribed) unless a position is known. */
    synchronized void seed(StreamPosition p) {
        if (epoch == null) {
            epoch = p.epoch();
            last = p.offset();
        }
    }

    /** A live publication; returns a repair to run when it opened a hole. */
    synchronized Repair publication(long offset, String pubEpoch, byte[] data) {
        Held h = new Held(offset, pubEpoch, data);
        if (!holding) {
            return accept(h, false);
        }
        if (held.size() < maxHeld) {
            held.addLast(h);
            return null;
        }
        // Too much to hold while the repair is in flight: give up on it and move on from what is held.
        repairId++;
        held.addLast(h);
        unrecoverable(null);
        return drain();
    }

    /** The broker's link dropped: hold everything from now on until {@link #resubscribed}. */
    synchronized void linkDown() {
        holding = true;
        linkDown = true;
        repairId++;
    }

    /** The broker subscribed again after {@link #linkDown}: read what was missed. */
    synchronized Repair resubscribed() {
        if (!linkDown) {
            return null;
        }
        linkDown = false;
        if (epoch == null) {
            // Nothing was known before the link dropped: there is no position to repair from.
            return drain();
        }
        return startRepair();
    }

    /** The outcome of the history read of {@code r}; returns the next repair to run, if any. */
    synchronized Repair repaired(Repair r, HistoryResult result, Throwable err) {
        if (r.id() != repairId || linkDown) {
            return null;
        }
        long before = last;
        if (err != null && r.attempt() + 1 < MAX_ATTEMPTS) {
            // The layer could not answer (not "history lost"): keep holding and read again a little later.
            return new Repair(r.id(), r.after(), r.epoch(), r.attempt() + 1);
        }
        if (err == null && result.complete() && epoch.equals(result.position().epoch())) {
            for (Publication p : result.publications()) {
                if (p.offset() > last) {
                    last = p.offset();
                    out.message(p.offset(), p.data());
                }
            }
            Held next = held.peekFirst();
            if (last == before && next != null && next.epoch() != null && next.offset() > last + 1) {
                unrecoverable(result);
            } else {
                out.repaired();
            }
        } else {
            unrecoverable(err == null ? result : null);
        }
        return drain();
    }

    /** Gaps told to subscribers and repairs started so far (for tests and metrics). */
    synchronized long gaps() {
        return gaps;
    }

    synchronized long repairs() {
        return repairs;
    }

    private Repair accept(Held h, boolean front) {
        if (h.offset() < 0 || h.epoch() == null) {
            out.message(h.offset(), h.data());
            return null;
        }
        if (epoch == null) {
            epoch = h.epoch();
            last = h.offset();
            out.message(h.offset(), h.data());
            return null;
        }
        if (!epoch.equals(h.epoch())) {
            // The topic's history was lost (a new incarnation): nothing before this can be recovered.
            epoch = h.epoch();
            last = h.offset() - 1;
            gap();
            last = h.offset();
            out.message(h.offset(), h.data());
            return null;
        }
        if (h.offset() <= last) {
            return null;
        }
        if (h.offset() == last + 1) {
            last = h.offset();
            out.message(h.offset(), h.data());
            return null;
        }
        if (front) {
            held.addFirst(h);
        } else {
            held.addLast(h);
        }
        return startRepair();
    }

    private Repair startRepair() {
        holding = true;
        repairs++;
        return new Repair(++repairId, last, epoch, 0);
    }

    /** Continuity cannot be restored: jump to the first held publication (or the topic's position) and say so. */
    private void unrecoverable(HistoryResult result) {
        Held first = null;
        for (Held h : held) {
            if (h.offset() >= 0 && h.epoch() != null) {
                first = h;
                break;
            }
        }
        if (first != null) {
            epoch = first.epoch();
            last = first.offset() - 1;
        } else if (result != null) {
            epoch = result.position().epoch();
            last = result.position().offset();
        }
        gap();
    }

    private void gap() {
        if (epoch != null) {
            gaps++;
            out.gap(epoch, last);
        }
    }

    /** Delivers what is held, in order, until one opens another hole. */
    private Repair drain() {
        holding = false;
        Held h;
        while ((h = held.pollFirst()) != null) {
            Repair r = accept(h, true);
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
