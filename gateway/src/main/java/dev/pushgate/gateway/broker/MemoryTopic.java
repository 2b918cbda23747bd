package dev.pushgate.gateway.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One incarnation of a topic on the {@link InMemoryBroker}: its epoch, offset counter and history ring. Every field
 * is guarded by the instance's monitor; {@link #removed} marks an incarnation dropped from the broker's map (a
 * caller holding it retries with the new one).
 */
final class MemoryTopic {
    final String epoch = newEpoch();
    private final ArrayDeque<Entry> ring = new ArrayDeque<>();
    private long offset;
    private long ttlNanos;
    boolean subscribed;
    boolean removed;
    /** Not subscribed since {@link #expiresAt} was set: dropped once that time passes. */
    private boolean idle;
    long expiresAt;

    MemoryTopic(java.time.Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** An epoch for a new incarnation: random, so a restarted node or a re-created topic never repeats one. */
    static String newEpoch() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Assigns the next offset and keeps the publication when {@code policy} keeps history. */
    long append(byte[] data, HistoryPolicy policy, long now) {
        offset++;
        if (policy.enabled()) {
            ttlNanos = policy.ttl().toNanos();
            ring.addLast(new Entry(offset, data, now));
            while (ring.size() > policy.size()) {
                ring.removeFirst();
            }
        } else {
            ttlNanos = 0;
            ring.clear();
        }
        return offset;
    }

    /** No subscriber from {@code now} on: the topic lives for its history's time to live after that. */
    void idleSince(long now) {
        if (!subscribed) {
            idle = true;
            expiresAt = now + ttlNanos;
        }
    }

    boolean expired(long now) {
        return idle && !subscribed && now - expiresAt >= 0;
    }

    HistoryResult history(long since, String askedEpoch, int limit, long now) {
        StreamPosition position = new StreamPosition(offset, epoch);
        if (since < 0) {
            return new HistoryResult(position, List.of(), true);
        }
        if ((askedEpoch != null && !askedEpoch.equals(epoch)) || since > offset) {
            return new HistoryResult(position, List.of(), false);
        }
        while (!ring.isEmpty() && now - ring.peekFirst().nanos >= ttlNanos) {
            ring.removeFirst();
        }
        long oldest = ring.isEmpty() ? offset + 1 : ring.peekFirst().offset;
        if (since + 1 < oldest) {
            return new HistoryResult(position, List.of(), false);
        }
        List<Publication> out = new ArrayList<>((int) Math.min(limit, offset - since));
        for (Entry e : ring) {
            if (out.size() >= limit) {
                break;
            }
            if (e.offset > since) {
                out.add(new Publication(e.offset, e.data));
            }
        }
        return new HistoryResult(position, List.copyOf(out), true);
    }

    private record Entry(long offset, byte[] data, long nanos) {
    }
}
