package dev.pushgate.gateway;

import dev.pushgate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code fanout.write-delay} holds publications back on purpose: that wait is not counted as falling behind. */
class QueueDelayWithWriteDelayTest {
    private static GatewayConfig.Fanout fanout(String writeDelay, String maxQueueDelay) {
        return new GatewayConfig.Fanout(Duration.parse(writeDelay), 1024, Duration.parse(maxQueueDelay), 2048, 16384);
    }

    @Test
    void theSheddingThresholdStartsAfterTheWriteDelay() {
        assertEquals(Duration.ofMillis(250).toNanos(), Gateway.maxQueueDelay(fanout("PT0S", "PT0.25S")));
        assertEquals(Duration.ofMillis(450).toNanos(), Gateway.maxQueueDelay(fanout("PT0.2S", "PT0.25S")));
        assertEquals(0, Gateway.maxQueueDelay(fanout("PT0.2S", "PT0S")), "0 still means never shed");
    }
}
