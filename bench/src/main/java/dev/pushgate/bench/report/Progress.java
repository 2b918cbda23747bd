package dev.pushgate.bench.report;

import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;

import java.util.List;

/** One line of progress while publishing: rates over the last second, p99 so far, the servers' and the bench's CPU. */
public record Progress(double elapsedSeconds, double sentPerSecond, double deliveredPerSecond, long p99SoFarMicros,
                       List<ProcessSample> processes, double benchCpuPct) {
    public Progress {
        processes = List.copyOf(processes);
    }
}
