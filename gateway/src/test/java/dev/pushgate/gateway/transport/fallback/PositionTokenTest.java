package dev.pushgate.gateway.transport.fallback;

import dev.pushgate.gateway.broker.StreamPosition;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The position token round-trips, and anything it did not make is refused with an exception, never a crash. */
class PositionTokenTest {
    @Test
    void roundTripsInOrderWithUnknownPositions() {
        Map<String, StreamPosition> p = new LinkedHashMap<>();
        p.put("chat.b", new StreamPosition(123456789012L, "9f3a0c11d2e4"));
        p.put("chat.a", null);
        p.put("news.x", new StreamPosition(0, ""));
        String token = PositionToken.encode(p);
        assertEquals(p, PositionToken.decode(token, 10));
        assertEquals(java.util.List.copyOf(p.keySet()), java.util.List.copyOf(PositionToken.decode(token, 10).keySet()));
        assertThrows(IllegalArgumentException.class, () -> PositionToken.decode(token, 2), "too many topics");
    }

    @Test
    void garbageTruncationAndBitFlipsAreRefused() {
        String token = PositionToken.encode(Map.of("chat.a", new StreamPosition(7, "e")));
        for (int cut = 0; cut < token.length(); cut++) {
            String t = token.substring(0, cut);
            assertThrows(IllegalArgumentException.class, () -> PositionToken.decode(t, 10), t);
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String t = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            if (!t.equals(token)) {
                assertThrows(IllegalArgumentException.class, () -> PositionToken.decode(t, 10), t);
            }
        }
        Random r = new Random(11);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_!%.";
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(64);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                PositionToken.decode(sb.toString(), 10);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PositionToken.decode("A".repeat(8193), 10));
    }
}
