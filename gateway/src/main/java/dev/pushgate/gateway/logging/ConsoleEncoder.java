package dev.pushgate.gateway.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.util.Locale;

/**
 * The console's encoder: {@code text} lines with the configured pattern, or {@code json} lines
 * ({@link JsonLogEncoder}), chosen by {@code <format>} in {@code logback.xml} and switchable at run time by
 * {@link #useFormat}. One appender for both formats keeps the Logback configuration free of conditionals (which would
 * need Janino). Thread-safe: the appender serialises {@link #encode}; a switch swaps the delegate atomically.
 */
public final class ConsoleEncoder extends EncoderBase<ILoggingEvent> {
    /** The default text layout. */
    public static final String DEFAULT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

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
            e = new JsonLogEncoder();
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
