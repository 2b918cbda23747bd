package dev.pushgate.bench.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyRecorderTest {
    @Test
    void intervalsAccumulateIntoTheWindowUntilANewOneStarts() {
        LatencyRecorder r = new LatencyRecorder();
        r.recordMicros(100);
        r.recordMicros(-5);
        assertEquals(2, r.sampleInterval().getTotalCount());
        r.recordMicros(300);
        assertEquals(1, r.sampleInterval().getTotalCount());
        assertEquals(3, r.window().getTotalCount());
        assertEquals(0, r.window().getMinValue());
        r.recordMicros(1_000_000);
        var finished = r.newWindow();
        assertEquals(4, finished.getTotalCount());
        assertEquals(1_000_000, finished.getMaxValue(), 1_000_000 / 1000);
        assertEquals(0, r.window().getTotalCount());
    }

    @Test
    void theClockConvertsNanoTimeToEpochMicros() {
        MicroClock clock = MicroClock.anchored(1_000_000, 5_000);
        assertEquals(1_000_000, clock.toEpochMicros(5_000));
        assertEquals(1_000_002, clock.toEpochMicros(7_000));
    }
}
