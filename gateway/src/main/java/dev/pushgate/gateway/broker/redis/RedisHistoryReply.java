package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.protocol.RedisWire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the history script's answer ({@link RedisWire#HISTORY_SCRIPT}: epoch, offset, then entry id and data pairs)
 * into a {@link HistoryResult}. Complete only when the asked epoch is the current one and the entries are exactly the
 * offsets {@code since+1 ...} up to the current offset or the limit; anything else (another epoch, a trimmed or
 * expired stream, an offset beyond the current one) is incomplete with no publications: never a partial replay.
 */
final class RedisHistoryReply {
    private RedisHistoryReply() {
    }

    static HistoryResult parse(List<Object> reply, long since, String askedEpoch, int limit) {
        if (reply == null || reply.size() < 2 || reply.size() % 2 != 0
                || !(reply.get(0) instanceof byte[] epochBytes) || !(reply.get(1) instanceof Long offset)) {
            throw new IllegalStateException("unexpected history script reply");
        }
        StreamPosition position = new StreamPosition(offset, new String(epochBytes, StandardCharsets.UTF_8));
        boolean sameEpoch = askedEpoch == null || askedEpoch.equals(position.epoch());
        if (since < 0 || !sameEpoch || since >= offset) {
            // Position only, another epoch, or nothing after since (since beyond the offset: history went back).
            return new HistoryResult(position, List.of(), sameEpoch && since <= offset);
        }
        long expected = Math.min(limit, offset - since);
        int entries = (reply.size() - 2) / 2;
        if (entries != expected) {
            return incomplete(position);
        }
        List<Publication> publications = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            Object id = reply.get(2 + 2 * i);
            Object data = reply.get(3 + 2 * i);
            if (!(id instanceof byte[] idBytes) || !(data instanceof byte[] dataBytes)
                    || RedisWire.offsetOfEntryId(new String(idBytes, StandardCharsets.US_ASCII)) != since + 1 + i) {
                return incomplete(position);
            }
            publications.add(new Publication(since + 1 + i, dataBytes));
        }
        return new HistoryResult(position, List.copyOf(publications), true);
    }

    private static HistoryResult incomplete(StreamPosition position) {
        return new HistoryResult(position, List.of(), false);
    }
}
