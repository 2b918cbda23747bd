package dev.pushgate.bench.report;

import java.io.PrintStream;

/**
 * The terminal, the bench's user interface: the only class that writes to it. Progress, summaries and the
 * {@code RESULT} line go to {@code out}; errors to {@code err}. Both streams are handed in by {@code main}.
 * Synchronized so a shutdown hook cannot interleave with the main thread.
 */
public final class Console {
    /** The prefix of the machine-readable result line. */
    public static final String RESULT_PREFIX = "RESULT ";

    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A phase message ({@code connecting 100 subscribers to …}). */
    public synchronized void info(String text) {
        out.println(text);
        out.flush();
    }

    /** The once-a-second line while publishing. */
    public synchronized void progress(Progress progress) {
        info(ReportText.progress(progress));
    }

    /** The once-a-second line while connecting. */
    public synchronized void connecting(double elapsedSeconds, long ready, long failed, int requested,
                                        double perSecond) {
        info(ReportText.connecting(elapsedSeconds, ready, failed, requested, perSecond));
    }

    /** A multi-line human summary. */
    public synchronized void summary(String text) {
        out.print(text);
        out.flush();
    }

    /** The single machine-readable line: {@code RESULT {json}}. */
    public synchronized void result(String json) {
        out.println(RESULT_PREFIX + json);
        out.flush();
    }

    /** The {@code --help} text. */
    public synchronized void usage(String text) {
        out.print(text);
        out.flush();
    }

    /** A problem the user must fix or know about. */
    public synchronized void error(String text) {
        err.println("error: " + text);
        err.flush();
    }
}
