package dev.pushgate.bench.stats;

import dev.pushgate.bench.stats.DeliveryTracker.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryTrackerTest {
    @Test
    void increasingNumbersAreInOrderEvenWithGaps() {
        DeliveryTracker t = new DeliveryTracker(1);
        assertEquals(Outcome.IN_ORDER, t.accept(0, 0));
        assertEquals(Outcome.IN_ORDER, t.accept(0, 1));
        assertEquals(Outcome.IN_ORDER, t.accept(0, 5));
        assertEquals(Outcome.IN_ORDER, t.accept(0, 1000));
        assertEquals(4, t.unique());
        assertEquals(0, t.late());
    }

    @Test
    void aRepeatIsADuplicateAndALowerNewNumberIsLate() {
        DeliveryTracker t = new DeliveryTracker(1);
        t.accept(0, 0);
        t.accept(0, 2);
        assertEquals(Outcome.DUPLICATE, t.accept(0, 2));
        assertEquals(Outcome.LATE, t.accept(0, 1));
        assertEquals(Outcome.DUPLICATE, t.accept(0, 1));
        assertEquals(Outcome.DUPLICATE, t.accept(0, 0));
        assertEquals(6, t.received());
        assertEquals(3, t.unique());
        assertEquals(3, t.duplicates());
        assertEquals(1, t.late());
    }

    @Test
    void theWindowCoversTheLast64NumbersAndOlderOnesCountAsLate() {
        DeliveryTracker t = new DeliveryTracker(1);
        t.accept(0, 0);
        t.accept(0, 63);
        assertEquals(Outcome.DUPLICATE, t.accept(0, 0));
        t.accept(0, 64);
        assertEquals(Outcome.LATE, t.accept(0, 0), "0 fell out of the window");
        assertEquals(Outcome.LATE, t.accept(0, 10));
        assertEquals(Outcome.DUPLICATE, t.accept(0, 10));
    }

    @Test
    void aJumpOfMoreThanTheWindowClearsIt() {
        DeliveryTracker t = new DeliveryTracker(1);
        t.accept(0, 1);
        t.accept(0, 500);
        assertEquals(Outcome.LATE, t.accept(0, 499));
        assertEquals(Outcome.DUPLICATE, t.accept(0, 500));
    }

    @Test
    void streamsAreIndependent() {
        DeliveryTracker t = new DeliveryTracker(2);
        t.accept(0, 10);
        assertEquals(Outcome.IN_ORDER, t.accept(1, 3));
        assertEquals(Outcome.IN_ORDER, t.accept(1, 4));
        assertEquals(Outcome.LATE, t.accept(0, 9));
    }

    @Test
    void unknownStreamsAreNeitherUniqueNorDuplicates() {
        DeliveryTracker t = new DeliveryTracker(1);
        assertEquals(Outcome.UNKNOWN_STREAM, t.accept(1, 0));
        assertEquals(Outcome.UNKNOWN_STREAM, t.accept(-1, 0));
        assertEquals(2, t.received());
        assertEquals(0, t.unique());
        assertEquals(2, t.unknown());
    }

    @Test
    void deliveryStatsCountOutcomesAndWindowsSubtract() {
        DeliveryStats stats = new DeliveryStats();
        stats.delivered(Outcome.IN_ORDER);
        DeliveryStats.Totals before = stats.totals();
        stats.delivered(Outcome.IN_ORDER);
        stats.delivered(Outcome.LATE);
        stats.delivered(Outcome.DUPLICATE);
        stats.delivered(Outcome.UNKNOWN_STREAM);
        stats.countDisconnect();
        DeliveryStats.Totals window = stats.totals().minus(before);
        assertEquals(new DeliveryStats.Totals(4, 2, 1, 1, 1, 1), window);
    }
}
