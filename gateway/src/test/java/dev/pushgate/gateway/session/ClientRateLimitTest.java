package dev.pushgate.gateway.session;

import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.metrics.MeterNames;
import dev.pushgate.gateway.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one client rate limit: per-connection buckets and keyed buckets that stay bounded under many clients. */
class ClientRateLimitTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    @Test
    void aConnectionIsRefusedOverTheBurstAndFloodingOnceItIgnoresAWholeBurstOfRefusals() {
        ClientRateLimit limit = new ClientRateLimit(1, 3, 10, metrics);
        TokenBucket bucket = limit.connectionBucket();
        for (int i = 0; i < 3; i++) {
            assertEquals(ClientRateLimit.Verdict.ALLOWED, limit.admit(bucket));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(ClientRateLimit.Verdict.REFUSED, limit.admit(bucket));
        }
        assertEquals(ClientRateLimit.Verdict.FLOODING, limit.admit(bucket));
        assertEquals(4, registry.get(MeterNames.RATE_LIMITED).counter().count());
    }

    @Test
    void keyedBucketsAreSeparateAndBoundedInNumber() {
        ClientRateLimit limit = new ClientRateLimit(1, 2, 100, metrics);
        assertEquals(ClientRateLimit.Verdict.ALLOWED, limit.admit("sub:a"));
        assertEquals(ClientRateLimit.Verdict.ALLOWED, limit.admit("sub:a"));
        assertEquals(ClientRateLimit.Verdict.REFUSED, limit.admit("sub:a"));
        assertEquals(ClientRateLimit.Verdict.ALLOWED, limit.admit("sub:b"), "another client's bucket");
        for (int i = 0; i < 10_000; i++) {
            limit.admit("ip:10.0." + (i >> 8) + "." + (i & 255));
        }
        assertEquals(100, limit.keys(), "at most maxKeys buckets, however many clients");
        assertEquals(1, registry.get(MeterNames.RATE_LIMITED).counter().count());
    }

    @Test
    void aBucketThatRefilledIsDropped() {
        // A 2 ms refill: unused buckets are soon the same as new ones and go.
        ClientRateLimit limit = new ClientRateLimit(1000, 2, 1000, metrics);
        for (int i = 0; i < 500; i++) {
            limit.admit("ip:192.0.2." + i);
        }
        assertTrue(limit.keys() > 1);
        Await.until(Duration.ofSeconds(5), () -> {
            limit.admit("ip:probe");
            return limit.keys() == 1;
        }, () -> "idle buckets expire: " + limit.keys());
    }
}
