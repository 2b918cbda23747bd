package dev.pushgate.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishPacerTest {
    private static final long MS = 1_000_000L;

    @Test
    void theFirstMessageIsDueAtTheStartAndThenOnePerInterval() {
        PublishPacer p = new PublishPacer(1000, 10 * MS, 100);
        assertEquals(0, p.due(9 * MS));
        assertEquals(1, p.due(10 * MS));
        assertEquals(2, p.due(11 * MS));
        assertEquals(11, p.due(20 * MS));
    }

    @Test
    void issuedMessagesAreNoLongerDue() {
        PublishPacer p = new PublishPacer(1000, 0, 100);
        p.issued(5);
        assertEquals(0, p.due(4 * MS));
        assertEquals(6, p.due(10 * MS));
    }

    @Test
    void aLatePublisherGetsTheWholeBacklogButNeverMoreThanTheLimit() {
        PublishPacer p = new PublishPacer(10_000, 0, 1000);
        assertEquals(1000, p.due(10_000 * MS));
        p.issued(1000);
        assertTrue(p.finished());
        assertEquals(0, p.due(20_000 * MS));
    }

    @Test
    void intendedTimesFollowTheRateNotTheTicks() {
        PublishPacer p = new PublishPacer(4, 100, 10);
        assertEquals(100, p.intendedNanos(0));
        assertEquals(100 + 250 * MS, p.intendedNanos(1));
        assertEquals(100 + 2_250 * MS, p.intendedNanos(9));
        assertFalse(p.finished());
    }

    @Test
    void aNonPositiveRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PublishPacer(0, 0, 1));
    }

    @Test
    void messagesAreSpreadOverTopicsByNumber() {
        PublishContext c = new PublishContext(java.util.List.of("a", "b", "c"), null, null, null);
        assertEquals(0, c.topicOf(0));
        assertEquals(2, c.topicOf(5));
        assertEquals(1, c.topicOf(3_000_000_001L));
    }
}
