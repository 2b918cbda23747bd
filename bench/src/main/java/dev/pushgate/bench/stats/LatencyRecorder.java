package dev.pushgate.bench.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latency in microseconds: any thread records (wait-free, HdrHistogram {@link Recorder}); one reporting
 * thread takes an interval every tick and folds it into the running total of the current measurement window.
 * {@link #recordMicros} is thread-safe; the other methods belong to the single reporting thread.
 */
public final class LatencyRecorder {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private Histogram interval;
    private Histogram window = new Histogram(SIGNIFICANT_DIGITS);

    /** Records one latency; negative values (clock anomalies) count as zero. */
    public void recordMicros(long micros) {
        recorder.recordValue(Math.max(0, micros));
    }

    /** Takes what was recorded since the last call, adds it to the window, and returns that interval. */
    public Histogram sampleInterval() {
        interval = recorder.getIntervalHistogram(interval);
        window.add(interval);
        return interval;
    }

    /** The running total of the current window (includes every sampled interval since {@link #newWindow}). */
    public Histogram window() {
        return window;
    }

    /** Folds in what is pending, returns the finished window and starts a new empty one. */
    public Histogram newWindow() {
        sampleInterval();
        Histogram finished = window;
        window = new Histogram(SIGNIFICANT_DIGITS);
        return finished;
    }
}
