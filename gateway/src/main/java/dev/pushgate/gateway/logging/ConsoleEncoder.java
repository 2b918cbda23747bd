package dev.pushgate.gateway.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The console's encoder: {@code text} lines with the configured pattern, or {@code json} lines (logstash-logback-encoder,
 * see {@link #jsonEncoder()}), chosen by {@code <format>} in {@code logback.xml} and switchable at run time by
 * {@link #useFormat}. One appender for both formats keeps the Logback configuration free of conditionals (which would
 * need Janino). Thread-safe: the appender serialises {@link #encode}; a switch swaps the delegate atomically.
 */
public final class ConsoleEncoder extends EncoderBase<ILoggingEvent> {
    /** The default text layout. */
    public static final String DEFAULT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    /** The fixed fields of a JSON line; MDC entries and key-value pairs of these names get a prefix. */
    public static final List<String> JSON_FIXED_FIELDS = List.of("ts", "level", "logger", "thread", "message", "exception");

    private String format = "text";
    private String pattern = DEFAULT_PATTERN;
    private volatile Encoder<ILoggingEvent> delegate;

    /** {@code text} or {@code json} (any case); anything else is reported and falls back to text. */
    public void setFormat(String format) {
        this.format = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
    }

    /** The text layout (Logback pattern syntax). */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** The format in use. */
    public String format() {
        return format;
    }

    /** Switches to {@code format} ({@code text} or {@code json}) from the next event on. */
    public void useFormat(String newFormat) {
        setFormat(newFormat);
        Encoder<ILoggingEvent> old = delegate;
        delegate = build();
        if (old != null) {
            old.stop();
        }
    }

    @Override
    public void start() {
        delegate = build();
        super.start();
    }

    @Override
    public void stop() {
        Encoder<ILoggingEvent> d = delegate;
        if (d != null) {
            d.stop();
        }
        super.stop();
    }

    private Encoder<ILoggingEvent> build() {
        Encoder<ILoggingEvent> e;
        if (format.equals("json")) {
            e = jsonEncoder();
        } else {
            if (!format.equals("text")) {
                addWarn("unknown log format '" + format + "', using text (known: text, json)");
                format = "text";
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            e = text;
        }
        e.setContext(getContext());
        e.start();
        return e;
    }

    /**
     * One JSON object per line: {@code ts} (UTC, milliseconds), {@code level}, {@code logger}, {@code thread},
     * {@code message}, then the line's {@code name=value} fields ({@link MessageFieldsJsonProvider}), the MDC entries,
     * the SLF4J key-value pairs ({@code log.atDebug().addKeyValue("id", id)}) and {@code exception} with the stack
     * trace. An MDC entry or key-value pair named like a fixed field is written as {@code mdc.<name>} /
     * {@code kv.<name>}.
     */
    static LoggingEventCompositeJsonEncoder jsonEncoder() {
        LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
        LoggingEventFormattedTimestampJsonProvider ts = new LoggingEventFormattedTimestampJsonProvider();
        ts.setFieldName("ts");
        ts.setPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        ts.setTimeZone("UTC");
        providers.addTimestamp(ts);
        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName("level");
        providers.addLogLevel(level);
        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        providers.addLoggerName(logger);
        LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("thread");
        providers.addThreadName(thread);
        MessageJsonProvider message = new MessageJsonProvider();
        message.setFieldName("message");
        providers.addMessage(message);
        providers.addProvider(new MessageFieldsJsonProvider(Set.copyOf(JSON_FIXED_FIELDS)));
        MdcJsonProvider mdc = new MdcJsonProvider();
        KeyValuePairsJsonProvider pairs = new KeyValuePairsJsonProvider();
        for (String fixed : JSON_FIXED_FIELDS) {
            mdc.addMdcKeyFieldName(fixed + "=mdc." + fixed);
            pairs.addKeyFieldName(fixed + "=kv." + fixed);
        }
        providers.addMdc(mdc);
        providers.addKeyValuePairs(pairs);
        StackTraceJsonProvider stack = new StackTraceJsonProvider();
        stack.setFieldName("exception");
        providers.addStackTrace(stack);
        LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
        encoder.setProviders(providers);
        return encoder;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
