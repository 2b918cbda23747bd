package dev.pushgate.bench.scenario;

import dev.pushgate.bench.report.OverloadResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverloadScenarioTest {
    private static OverloadResult.Second second(String phase, double t, long p99) {
        return new OverloadResult.Second(phase, t, 100, 1000, p99, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void recoveryIsTheEndOfTheLastRecoverSecondAboveTheLimit() {
        List<OverloadResult.Second> s = List.of(second("overload", 1, 90_000), second("recover", 1, 80_000),
                second("recover", 2, 9_000), second("recover", 3, 40_000), second("recover", 4, 12_000),
                second("recover", 5, 14_000));
        assertEquals(3, OverloadScenario.recoverySeconds(10_000, s, 1.5));
    }

    @Test
    void recoveredAtOnceIsZero() {
        List<OverloadResult.Second> s = List.of(second("overload", 1, 90_000), second("recover", 1, 10_000),
                second("recover", 2, 11_000));
        assertEquals(0, OverloadScenario.recoverySeconds(10_000, s, 1.5));
    }

    @Test
    void theNormalReferenceIsTheMedianSecond() {
        List<OverloadResult.Second> s = List.of(second("normal", 1, 10_000), second("normal", 2, 3_000_000),
                second("normal", 3, 12_000), second("overload", 1, 90_000));
        assertEquals(12_000, OverloadScenario.medianP99(s, "normal"));
    }

    @Test
    void stillAboveAtTheEndIsNotRecovered() {
        List<OverloadResult.Second> s = List.of(second("recover", 1, 10_000), second("recover", 2, 90_000));
        assertTrue(Double.isNaN(OverloadScenario.recoverySeconds(10_000, s, 1.5)));
    }
}
