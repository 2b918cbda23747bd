package dev.pushgate.bench.report;

import java.util.List;

/**
 * The ramp scenario: every step with whether it passed, why the ramp stopped, and the best step (the last one
 * that passed; {@code null} when none did).
 */
public record RampResult(RunSetup setup, ConnectResult subscribe, List<Step> steps, String stopReason, Step best) {
    public RampResult {
        steps = List.copyOf(steps);
    }

    /** One step: its window, and {@code null} when it passed or the limit it broke. */
    public record Step(WindowResult window, String failure) {
        public boolean passed() {
            return failure == null;
        }
    }
}
