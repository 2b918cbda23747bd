package dev.pushgate.bench.scenario;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C end a run early but cleanly: the shutdown hook calls {@link #abort()} and waits for
 * {@link #finished()}, while the scenario's waits ({@link #pause}) return at once so it can report what it has.
 * Thread-safe.
 */
public final class RunControl {
    private final CountDownLatch abort = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    /** Asks the running scenario to stop. */
    public void abort() {
        abort.countDown();
    }

    public boolean aborted() {
        return abort.getCount() == 0;
    }

    /** Waits {@code millis} unless aborted; returns whether the run was aborted. */
    public boolean pause(long millis) {
        try {
            return abort.await(Math.max(0, millis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Marks the scenario as done (its output is complete). */
    public void finished() {
        finished.countDown();
    }

    /** Waits up to {@code seconds} for {@link #finished()}. */
    public void awaitFinished(long seconds) {
        try {
            finished.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
