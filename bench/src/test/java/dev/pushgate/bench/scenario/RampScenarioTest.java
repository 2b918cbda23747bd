package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.RampOptions;
import dev.pushgate.bench.report.Latency;
import dev.pushgate.bench.report.WindowResult;
import dev.pushgate.bench.stats.DeliveryStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RampScenarioTest {
    private static final RampOptions LIMITS = new RampOptions(1000, 1000, 5, 100_000, 0.1, 100);

    private static WindowResult step(double rate, long accepted, long expected, long unique, long p99Micros) {
        return new WindowResult(rate, 5, accepted, accepted, 0, expected,
                new DeliveryStats.Totals(unique, unique, 0, 0, 0, 0),
                new Latency(unique, 1, 1, p99Micros, p99Micros, p99Micros, 1), List.of(), null);
    }

    @Test
    void aStepWithinTheLimitsPasses() {
        assertNull(RampScenario.failure(step(1000, 5000, 500_000, 499_500, 99_000), LIMITS));
    }

    @Test
    void lossAboveTheLimitFails() {
        assertEquals("loss 0.200% > 0.100%",
                RampScenario.failure(step(1000, 5000, 500_000, 499_000, 1_000), LIMITS));
    }

    @Test
    void p99AboveTheLimitFails() {
        assertEquals("p99 100.01ms > 100ms",
                RampScenario.failure(step(1000, 5000, 500_000, 500_000, 100_010), LIMITS));
    }

    @Test
    void publishersThatCannotKeepUpEndTheRamp() {
        assertEquals("publishers reached only 900 of 1000 msg/s",
                RampScenario.failure(step(1000, 4500, 450_000, 450_000, 1_000), LIMITS));
    }
}
