package dev.pushgate.gateway.transport;

import ch.qos.logback.classic.Level;
import dev.pushgate.gateway.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RefusedOriginsTest {

    @Test
    void oneLinePerOriginPerMinuteAndABoundedNumberOfOrigins() {
        AtomicLong now = new AtomicLong();
        RefusedOrigins refused = new RefusedOrigins(now::get);
        try (LogCapture logs = LogCapture.of(Level.INFO, true, RefusedOrigins.class.getName())) {
            refused.refused("https://a.example", "h");
            refused.refused("https://a.example", "h");
            assertEquals(1, logs.messages().size());
            now.addAndGet(RefusedOrigins.INTERVAL_NANOS);
            refused.refused("https://a.example", "h");
            assertEquals(2, logs.messages().size());
            for (int i = 0; i < RefusedOrigins.MAX_ORIGINS * 2; i++) {
                refused.refused("https://flood-" + i + ".example", "h");
            }
            assertEquals(1 + RefusedOrigins.MAX_ORIGINS, logs.messages().size());
            now.addAndGet(RefusedOrigins.INTERVAL_NANOS);
            refused.refused("https://late.example", "h");
            assertEquals(2 + RefusedOrigins.MAX_ORIGINS, logs.messages().size());
        }
    }
}
