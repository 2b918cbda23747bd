package dev.pushgate.gateway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Captures the events of some loggers while the gateway's threads keep logging. Logback's {@code ListAppender}
 * appends under the appender's monitor into a plain {@code ArrayList}, so a test iterating that list races the
 * appending threads ({@code ConcurrentModificationException}); this one appends to a concurrent queue and hands out
 * snapshots. {@link #close()} restores the loggers' level and additivity.
 */
public final class LogCapture extends UnsynchronizedAppenderBase<ILoggingEvent> implements AutoCloseable {
    private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<Logger, Level> levels = new HashMap<>();
    private final Map<Logger, Boolean> additive = new HashMap<>();

    private LogCapture() {
    }

    /**
     * Captures {@code loggers} at {@code level} and above; with {@code exclusive} their events go only here (not to
     * the test console).
     */
    public static LogCapture of(Level level, boolean exclusive, String... loggers) {
        LogCapture capture = new LogCapture();
        capture.start();
        for (String name : loggers) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            capture.levels.put(logger, logger.getLevel());
            capture.additive.put(logger, logger.isAdditive());
            logger.setLevel(level);
            logger.addAppender(capture);
            if (exclusive) {
                logger.setAdditive(false);
            }
        }
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    /** A snapshot of the events captured so far, in arrival order. */
    public List<ILoggingEvent> events() {
        return new ArrayList<>(events);
    }

    /** The formatted messages captured so far. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        levels.forEach((logger, level) -> {
            logger.detachAppender(this);
            logger.setLevel(level);
            logger.setAdditive(additive.get(logger));
        });
        stop();
    }
}
