package dev.pushgate.gateway.hub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-loop subscriber lists: constant-time removal by slot must keep exactly the subscriptions not removed. */
class TopicEntryTest {

    private static Subscription subscription(TopicEntry entry, long generation) {
        return new Subscription(entry, new RecordingSubscriber(null), generation, false);
    }

    @Test
    void removingInAnyOrderKeepsExactlyTheOthersAndEverySlotPointsAtItsOwner() {
        TopicEntry entry = new TopicEntry("news.x", 2, false);
        Random random = new Random(42);
        List<Subscription> present = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Subscription s = subscription(entry, i);
            entry.add(1, s);
            present.add(s);
        }
        for (int round = 0; round < 5_000; round++) {
            if (!present.isEmpty() && random.nextBoolean()) {
                Subscription s = present.remove(random.nextInt(present.size()));
                assertTrue(entry.remove(1, s));
                assertFalse(entry.remove(1, s), "a second removal finds nothing");
            } else {
                Subscription s = subscription(entry, 1_000 + round);
                entry.add(1, s);
                present.add(s);
            }
            assertEquals(present.size(), entry.shardSizes.get(1));
        }
        ArrayList<Subscription> list = entry.shards[1];
        assertEquals(new HashSet<>(present), Set.copyOf(list));
        for (int i = 0; i < list.size(); i++) {
            assertSame(list.get(i), list.get(list.get(i).slot), "slot " + i);
            assertEquals(i, list.get(i).slot);
        }
        assertEquals(0, entry.shardSizes.get(0), "the other loop's list is untouched");
    }

    @Test
    void aSubscriptionOfAnotherLoopOrNeverAddedIsNotRemoved() {
        TopicEntry entry = new TopicEntry("news.x", 2, false);
        Subscription onZero = subscription(entry, 1);
        Subscription onOne = subscription(entry, 2);
        entry.add(0, onZero);
        entry.add(1, onOne);
        assertFalse(entry.remove(1, onZero), "same slot number, other loop's list");
        assertFalse(entry.remove(0, subscription(entry, 3)), "never added");
        assertTrue(entry.remove(0, onZero));
        assertTrue(entry.remove(1, onOne));
        assertEquals(0, entry.shards[0].size() + entry.shards[1].size());
    }
}
