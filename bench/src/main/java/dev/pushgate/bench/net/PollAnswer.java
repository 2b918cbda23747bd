package dev.pushgate.bench.net;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a long-poll answer {@code {"messages":[frame,…],"since":"TOKEN"}} without building a JSON tree: every
 * element of {@code messages} goes to a consumer as a slice of the body (the frame's JSON text, unparsed), and the
 * {@code since} token is returned. Keys may come in any order; other keys are skipped. Stateless.
 */
public final class PollAnswer {
    private PollAnswer() {
    }

    /**
     * Scans the readable bytes of {@code body} (indexes are not moved).
     *
     * @return the {@code since} token, or {@code null} when the answer has none
     * @throws IllegalArgumentException when the body is not such a JSON object
     */
    public static String read(ByteBuf body, Consumer<ByteBuf> frames) {
        Cursor c = new Cursor(body);
        String since = null;
        c.expect('{');
        if (c.peekSkippingSpace() == '}') {
            return null;
        }
        while (true) {
            c.skipSpace();
            int keyStart = c.at;
            c.skipString();
            String key = body.toString(keyStart + 1, c.at - keyStart - 2, StandardCharsets.UTF_8);
            c.expect(':');
            c.skipSpace();
            if (key.equals("messages")) {
                c.expect('[');
                if (c.peekSkippingSpace() == ']') {
                    c.at++;
                } else {
                    while (true) {
                        c.skipSpace();
                        int from = c.at;
                        c.skipValue();
                        frames.accept(body.slice(from, c.at - from));
                        if (c.nextSkippingSpace() == ']') {
                            break;
                        }
                        c.requireLast(',');
                    }
                }
            } else if (key.equals("since") && c.peek() == '"') {
                int from = c.at;
                c.skipString();
                since = body.toString(from + 1, c.at - from - 2, StandardCharsets.UTF_8);
            } else {
                c.skipValue();
            }
            if (c.nextSkippingSpace() == '}') {
                return since;
            }
            c.requireLast(',');
        }
    }

    /** A position in the body with the skipping a JSON scan needs. */
    private static final class Cursor {
        private final ByteBuf buf;
        private final int end;
        private int at;
        private byte last;

        Cursor(ByteBuf buf) {
            this.buf = buf;
            this.at = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        byte peek() {
            if (at >= end) {
                throw new IllegalArgumentException("poll answer ends early");
            }
            return buf.getByte(at);
        }

        void skipSpace() {
            while (at < end && isSpace(buf.getByte(at))) {
                at++;
            }
        }

        byte peekSkippingSpace() {
            skipSpace();
            return peek();
        }

        byte nextSkippingSpace() {
            last = peekSkippingSpace();
            at++;
            return last;
        }

        void expect(char c) {
            if (nextSkippingSpace() != c) {
                throw new IllegalArgumentException("poll answer: expected '" + c + "' at " + (at - 1));
            }
        }

        void requireLast(char c) {
            if (last != c) {
                throw new IllegalArgumentException("poll answer: expected '" + c + "' at " + (at - 1));
            }
        }

        /** Skips a string literal starting at {@code at} (escapes included). */
        void skipString() {
            if (peek() != '"') {
                throw new IllegalArgumentException("poll answer: expected a string at " + at);
            }
            at++;
            while (true) {
                byte b = peek();
                at++;
                if (b == '\\') {
                    peek();
                    at++;
                } else if (b == '"') {
                    return;
                }
            }
        }

        /** Skips one value starting at {@code at}: a string, an object or array (nested), or a scalar. */
        void skipValue() {
            byte b = peek();
            if (b == '"') {
                skipString();
            } else if (b == '{' || b == '[') {
                int depth = 0;
                do {
                    b = peek();
                    if (b == '"') {
                        skipString();
                        continue;
                    }
                    if (b == '{' || b == '[') {
                        depth++;
                    } else if (b == '}' || b == ']') {
                        depth--;
                    }
                    at++;
                } while (depth > 0);
            } else {
                int from = at;
                while (at < end && !isSpace(buf.getByte(at)) && buf.getByte(at) != ','
                        && buf.getByte(at) != '}' && buf.getByte(at) != ']') {
                    at++;
                }
                if (at == from) {
                    throw new IllegalArgumentException("poll answer: expected a value at " + at);
                }
            }
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t';
        }
    }
}
