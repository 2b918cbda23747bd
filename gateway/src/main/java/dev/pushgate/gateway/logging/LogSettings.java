package dev.pushgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.pushgate.gateway.config.GatewayConfig;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Locale;

/**
 * Applies the {@code log.*} keys to Logback once the configuration is loaded (a YAML file can set them too, not only
 * the environment {@code logback.xml} reads): the root level, the console format (every {@link ConsoleEncoder} on the
 * root logger) and the access log. Only the command line calls it; a gateway embedded in another program leaves that
 * program's logging alone. Does nothing when Logback is not the SLF4J backend.
 */
public final class LogSettings {
    /** The access log's logger: one DEBUG line per HTTP request. */
    public static final String ACCESS_LOGGER = "pushgate.access";

    private LogSettings() {
    }

    /** Applies {@code log} to the running Logback. */
    public static void apply(GatewayConfig.Log log) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            apply(context, log);
        }
    }

    /** Applies {@code log} to {@code context}. */
    public static void apply(LoggerContext context, GatewayConfig.Log log) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(log.level(), Level.INFO));
        String format = log.format().name().toLowerCase(Locale.ROOT);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof ConsoleEncoder console && !console.format().equals(format)) {
                console.useFormat(format);
            }
        }
        if (log.access()) {
            Logger access = context.getLogger(ACCESS_LOGGER);
            if (!access.isDebugEnabled()) {
                access.setLevel(Level.DEBUG);
            }
        }
    }
}
