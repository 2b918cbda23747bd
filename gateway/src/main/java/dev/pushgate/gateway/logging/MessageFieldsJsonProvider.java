package dev.pushgate.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the {@code name=value} fields of a log line as JSON fields of their own, so a log pipeline can filter on
 * {@code id}, {@code topic}, {@code code} or {@code remote}. Every line of the gateway is constant text plus fields
 * ({@code "connection closed: id={} code={}"}); this reads the fields from the message <em>pattern</em> and fills in
 * the event's arguments, so a value is exactly its argument (spaces, {@code =} and all) and text a client controls
 * can never add or replace a field. A token {@code address={}:{}} gives {@code "address":"10.0.0.1:8080"}; a literal
 * {@code path=/admin} gives {@code "path":"/admin"}. Values are strings. A name that a fixed field, an MDC entry or an
 * SLF4J key-value pair already has is left out (those win), and so is a second occurrence. Stateless, thread-safe.
 */
public final class MessageFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
    private static final Pattern FIELD = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)=(.*)");

    private final Set<String> reserved;

    /** {@code reserved}: the names of the fixed fields of a line (ts, level, message...), never overwritten. */
    public MessageFieldsJsonProvider(Set<String> reserved) {
        this.reserved = Set.copyOf(reserved);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        String pattern = event.getMessage();
        if (pattern == null || pattern.indexOf('=') < 0) {
            return;
        }
        Object[] args = event.getArgumentArray();
        Set<String> taken = new HashSet<>(reserved);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            taken.addAll(mdc.keySet());
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(kv -> taken.add(kv.key));
        }
        int arg = 0;
        for (String token : pattern.split("\\s+")) {
            Matcher m = FIELD.matcher(token);
            if (m.matches()) {
                StringBuilder value = new StringBuilder();
                arg = render(m.group(2), args, arg, value);
                if (taken.add(m.group(1))) {
                    generator.writeStringField(m.group(1), value.toString());
                }
            } else {
                arg = render(token, args, arg, null);
            }
        }
    }

    /**
     * Appends {@code text} with its {@code {}} placeholders filled from {@code args} (from {@code arg} on) to
     * {@code out} (may be null: only counts), as SLF4J formats it ({@code \{}} is a literal); returns the next index.
     */
    static int render(String text, Object[] args, int arg, StringBuilder out) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && text.startsWith("{}", i + 1)) {
                if (out != null) {
                    out.append("{}");
                }
                i += 3;
            } else if (c == '{' && text.startsWith("}", i + 1)) {
                if (out != null) {
                    out.append(args != null && arg < args.length ? String.valueOf(args[arg]) : "{}");
                }
                arg++;
                i += 2;
            } else {
                if (out != null) {
                    out.append(c);
                }
                i++;
            }
        }
        return arg;
    }
}
