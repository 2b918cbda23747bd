package dev.pushgate.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable examples of a Markdown file: every fenced code block right after a line {@code <!-- example -->}
 * (a fresh setup) or {@code <!-- example continued -->} (the previous example's nodes go on), optionally with
 * {@code subscribe=<topic>} (before the block runs, every node gets a WebSocket subscriber of the topic, as the
 * pages the text opens). In a block: {@code ./mvnw} lines are the build (already done), {@code redis-server} lines
 * start Redis, lines that run {@code java -jar gateway/target/gateway.jar} start a node (with the {@code export}ed
 * and prefixed {@code GATEWAY_*} variables), {@code export} lines set variables, and every other line is a command
 * (continued by a trailing backslash). The {@code # } lines right after a command are its output; {@code ...} in
 * them stands for any text, and {@code <- remark} at the end of a line is not output.
 */
public final class DocExamples {
    private static final Pattern MARK = Pattern.compile("^\\s*<!-- example( continued)?((?:\\s+\\w+=\\S+)*)\\s*-->\\s*$");

    private DocExamples() {
    }

    /** One command and the output the docs show for it (null: none shown). */
    public record Command(String text, String output) { }

    /** One marked block. */
    public record Example(String source, int line, boolean continued, String subscribe, boolean startsRedis,
                          List<String> exports, List<String> nodes, List<Command> commands) { }

    /** The examples of {@code file}, in order. */
    public static List<Example> of(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARK.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int open = i + 1;
            String fence = lines.get(open).trim();
            if (!fence.startsWith("```")) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": an example mark must be followed by a code block");
            }
            int indent = lines.get(open).indexOf('`');
            List<String> body = new ArrayList<>();
            int j = open + 1;
            for (; !lines.get(j).trim().equals("```"); j++) {
                String l = lines.get(j);
                body.add(l.length() >= indent ? l.substring(indent) : l.trim());
            }
            String subscribe = null;
            for (String attr : m.group(2).trim().split("\\s+")) {
                if (attr.startsWith("subscribe=")) {
                    subscribe = attr.substring("subscribe=".length());
                }
            }
            out.add(parse(file.getFileName() + ":" + (open + 1), open + 1, m.group(1) != null, subscribe, body));
            i = j;
        }
        return out;
    }

    private static Example parse(String source, int line, boolean continued, String subscribe, List<String> body) {
        List<String> exports = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        List<Command> commands = new ArrayList<>();
        boolean redis = false;
        String command = null;
        List<String> output = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            String l = body.get(i).strip();
            if (l.startsWith("#")) {
                if (command != null) {
                    output.add(remarkless(l.substring(1).strip()));
                }
                continue;
            }
            if (command != null) {
                commands.add(new Command(command, output.isEmpty() ? null : String.join("\n", output)));
                command = null;
                output = new ArrayList<>();
            }
            if (l.isEmpty() || l.startsWith("./mvnw")) {
                continue;
            }
            String code = l.replaceAll("\\s+#\\s.*$", "").replaceAll("\\s*&$", "");
            if (code.startsWith("redis-server")) {
                redis = true;
            } else if (code.contains("java -jar gateway/target/gateway.jar")) {
                nodes.add(code.substring(0, code.indexOf("java -jar")).trim());
            } else if (code.startsWith("export ")) {
                exports.add(code.substring("export ".length()).trim());
            } else {
                StringBuilder c = new StringBuilder(l);
                while (c.charAt(c.length() - 1) == '\\' && i + 1 < body.size()) {
                    c.append('\n').append(body.get(++i).strip());
                }
                command = c.toString();
            }
        }
        if (command != null) {
            commands.add(new Command(command, output.isEmpty() ? null : String.join("\n", output)));
        }
        return new Example(source, line, continued, subscribe, redis, exports, nodes, commands);
    }

    private static String remarkless(String outputLine) {
        int remark = outputLine.indexOf(" <- ");
        return remark < 0 ? outputLine : outputLine.substring(0, remark).strip();
    }

    /**
     * Whether {@code actual} is what the docs show: compared without whitespace, with epochs (quoted hex strings of
     * 10 to 16 digits) and client ids ({@code c-<hex>}) as variable parts and {@code ...} matching anything.
     */
    public static boolean matches(String shown, String actual) {
        String expected = normalise(shown);
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int at = expected.indexOf("..."); at >= 0; at = expected.indexOf("...", from)) {
            regex.append(Pattern.quote(expected.substring(from, at))).append(".*?");
            from = at + 3;
        }
        regex.append(Pattern.quote(expected.substring(from)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(normalise(actual)).matches();
    }

    private static String normalise(String text) {
        return text.replaceAll("\\s+", "")
                .replaceAll("\"[0-9a-f]{10,16}\"", "\"<epoch>\"")
                .replaceAll("\"c-[0-9a-f]+\"", "\"<client>\"");
    }
}
