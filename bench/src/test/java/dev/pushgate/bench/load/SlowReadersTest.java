package dev.pushgate.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SlowReadersTest {
    @Test
    void picksTheFractionEvenlyOverTheIndexes() {
        SlowReaders slow = new SlowReaders(0.1, 1000, 1);
        int picked = 0;
        for (int i = 0; i < 1000; i++) {
            if (slow.isSlow(i)) {
                picked++;
                assertFalse(i > 0 && slow.isSlow(i - 1), "two neighbours picked at " + i);
            }
        }
        assertEquals(100, picked);
        assertFalse(new SlowReaders(0, 1000, 1).isSlow(5));
    }
}
