package dev.pushgate.bench.scenario;

import dev.pushgate.bench.load.ConnectLauncher;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.Latency;

import java.util.Map;

/** Runs a {@link ConnectLauncher} to completion (or timeout, or abort), printing progress once a second. */
final class Connecting {
    private static final long POLL_MILLIS = 50;

    private Connecting() {
    }

    static ConnectResult run(ConnectLauncher launcher, int timeoutSeconds, Console console, RunControl control) {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long nextReport = start + 1_000_000_000L;
        long readyAtLastReport = 0;
        launcher.start();
        while (true) {
            boolean aborted = control.pause(POLL_MILLIS);
            long now = System.nanoTime();
            long ready = launcher.ready();
            long failed = launcher.failures().total();
            boolean done = ready + failed >= launcher.count();
            if (now >= nextReport && !done) {
                console.connecting((now - start) / 1e9, ready, failed, launcher.count(), ready - readyAtLastReport);
                readyAtLastReport = ready;
                nextReport += 1_000_000_000L;
            }
            if (done || aborted || now >= deadline) {
                double seconds = (now - start) / 1e9;
                Map<String, Long> failures = launcher.failures().snapshot();
                long pending = launcher.count() - ready - failed;
                if (pending > 0) {
                    failures.put("still-connecting", pending);
                }
                return new ConnectResult(launcher.count(), ready, failures, seconds,
                        Latency.of(launcher.handshakeTimes()));
            }
        }
    }
}
