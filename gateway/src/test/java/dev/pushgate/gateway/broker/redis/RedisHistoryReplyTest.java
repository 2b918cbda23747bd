package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history script's reply to {@link HistoryResult}: complete only for exactly the offsets asked for. */
class RedisHistoryReplyTest {
    private static List<Object> reply(String epoch, long offset, long... ids) {
        List<Object> r = new ArrayList<>();
        r.add(bytes(epoch));
        r.add(offset);
        for (long id : ids) {
            r.add(bytes(id + "-0"));
            r.add(bytes("{\"n\":" + id + "}"));
        }
        return r;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> offsets(HistoryResult r) {
        return r.publications().stream().map(Publication::offset).toList();
    }

    @Test
    void exactlyTheOffsetsAfterSinceAreComplete() {
        HistoryResult r = RedisHistoryReply.parse(reply("e1", 5, 3, 4, 5), 2, "e1", 10);
        assertTrue(r.complete());
        assertEquals(new StreamPosition(5, "e1"), r.position());
        assertEquals(List.of(3L, 4L, 5L), offsets(r));
        assertEquals("{\"n\":4}", new String(r.publications().get(1).data(), StandardCharsets.UTF_8));
        assertTrue(RedisHistoryReply.parse(reply("e1", 5, 3, 4), 2, "e1", 2).complete(), "up to the limit");
    }

    @Test
    void anythingMissingIsIncompleteAndReplaysNothing() {
        for (HistoryResult r : List.of(
                RedisHistoryReply.parse(reply("e1", 5, 4, 5), 2, "e1", 10),       // 3 trimmed
                RedisHistoryReply.parse(reply("e1", 5, 3, 5), 2, "e1", 10),       // a hole
                RedisHistoryReply.parse(reply("e1", 5, 3, 4), 2, "e1", 10),       // the end missing
                RedisHistoryReply.parse(reply("e1", 5), 2, "e1", 10),             // no stream
                RedisHistoryReply.parse(reply("e2", 5, 3, 4, 5), 2, "e1", 10),    // another epoch
                RedisHistoryReply.parse(reply("e1", 5), 7, "e1", 10))) {          // beyond the offset
            assertFalse(r.complete(), r.toString());
            assertEquals(List.of(), r.publications());
            assertEquals(5, r.position().offset());
        }
    }

    @Test
    void positionOnlyAndUpToDateAsksAreComplete() {
        assertTrue(RedisHistoryReply.parse(reply("e1", 0), -1, null, 10).complete());
        assertTrue(RedisHistoryReply.parse(reply("e1", 5), 5, "e1", 10).complete());
        assertFalse(RedisHistoryReply.parse(reply("e1", 5), -1, "e0", 10).complete(), "the epoch asked is gone");
        assertTrue(RedisHistoryReply.parse(reply("e1", 5, 4, 5), 3, null, 10).complete(), "any epoch");
    }

    @Test
    void aMalformedReplyIsAnError() {
        assertThrows(IllegalStateException.class, () -> RedisHistoryReply.parse(List.of(1L), 0, null, 1));
        assertThrows(IllegalStateException.class,
                () -> RedisHistoryReply.parse(List.of(1L, bytes("e")), 0, null, 1));
    }
}
