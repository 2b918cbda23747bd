package dev.pushgate.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON text frames to {@link ClientMessage}s and server answers to bytes. Stateless and thread-safe.
 *
 * <p>The {@code message} frame is built by concatenation: topics are restricted to characters that need no JSON
 * escaping and {@code data} is already-validated JSON, so a publication is encoded once, without a generator.
 */
public final class ProtocolCodec {
    private static final byte[] MESSAGE_HEAD = "{\"op\":\"message\",\"topic\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_AFTER_SEQ = ",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_AFTER_TOPIC = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOIN_HEAD = "{\"op\":\"join\",\"topic\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEAVE_HEAD = "{\"op\":\"leave\",\"topic\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEMBER = "\",\"member\":".getBytes(StandardCharsets.US_ASCII);

    private ProtocolCodec() {
    }

    /** Decodes one client text frame (UTF-8 JSON). */
    public static ClientMessage decode(byte[] buf, int off, int len) throws ProtocolException {
        String op = null;
        Long id = null;
        String topic = null;
        byte[] data = null;
        String token = null;
        ClientMessage.Since since = null;
        try (JsonParser p = JsonSpans.parser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "op" -> op = string(p, value, "op", id);
                    case "id" -> id = requestId(p, value);
                    case "token" -> token = string(p, value, "token", id);
                    case "topic" -> topic = string(p, value, "topic", id);
                    case "data" -> data = JsonSpans.rawValue(p, buf, off);
                    case "since" -> since = since(p, value, id);
                    default -> p.skipChildren();
                }
            }
            JsonSpans.expectEnd(p);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "invalid JSON", id);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "invalid JSON", id);
        }
        if (op == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field: op", id);
        }
        return switch (op) {
            case "subscribe" -> new ClientMessage.Subscribe(id, required(topic, "topic", id), since);
            case "unsubscribe" -> new ClientMessage.Unsubscribe(id, required(topic, "topic", id));
            case "publish" -> new ClientMessage.Publish(id, required(topic, "topic", id), required(data, "data", id));
            case "ping" -> new ClientMessage.Ping(id);
            case "connect" -> new ClientMessage.Connect(id, required(token, "token", id));
            case "refresh" -> new ClientMessage.Refresh(id, required(token, "token", id));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OP, "unknown op: " + abbreviate(op), id);
        };
    }

    /** Decodes one client text frame held in a byte array. */
    public static ClientMessage decode(byte[] buf) throws ProtocolException {
        return decode(buf, 0, buf.length);
    }

    /** The {@code message} frame for a publication; {@code seq < 0} leaves the sequence number out. */
    public static byte[] message(String topic, long seq, byte[] data) {
        byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
        byte[] s = seq >= 0 ? Long.toString(seq).getBytes(StandardCharsets.US_ASCII) : null;
        int size = MESSAGE_HEAD.length + t.length + data.length + 1
                + (s != null ? SEQ.length + s.length + DATA_AFTER_SEQ.length : DATA_AFTER_TOPIC.length);
        byte[] out = new byte[size];
        int i = put(out, 0, MESSAGE_HEAD);
        i = put(out, i, t);
        if (s != null) {
            i = put(out, i, SEQ);
            i = put(out, i, s);
            i = put(out, i, DATA_AFTER_SEQ);
        } else {
            i = put(out, i, DATA_AFTER_TOPIC);
        }
        i = put(out, i, data);
        out[i] = '}';
        return out;
    }

    /** {@code {"op":"join","topic":"...","member":{...}}}: {@code member} is compact JSON (a presence member). */
    public static byte[] join(String topic, byte[] member) {
        return presenceEvent(JOIN_HEAD, topic, member);
    }

    /** {@code {"op":"leave","topic":"...","member":{...}}}. */
    public static byte[] leave(String topic, byte[] member) {
        return presenceEvent(LEAVE_HEAD, topic, member);
    }

    private static byte[] presenceEvent(byte[] head, String topic, byte[] member) {
        byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + t.length + MEMBER.length + member.length + 1];
        int i = put(out, 0, head);
        i = put(out, i, t);
        i = put(out, i, MEMBER);
        i = put(out, i, member);
        out[i] = '}';
        return out;
    }

    /** {@code {"op":"ack","id":N}} for subscribe and unsubscribe, with the topic. */
    public static byte[] ack(Long id, String topic) {
        return write(g -> {
            g.writeStringField("op", "ack");
            writeId(g, id);
            if (topic != null) {
                g.writeStringField("topic", topic);
            }
        });
    }

    /**
     * {@code {"op":"ack","id":N,"topic":"chat.x","epoch":"E","seq":57,"recovered":true}} for a subscribe: the
     * topic's position when the subscription started ({@code epoch} null leaves the position out) and, when the
     * client asked to recover ({@code since}), whether it did ({@code recovered} null leaves it out).
     */
    public static byte[] subscribeAck(Long id, String topic, String epoch, long seq, Boolean recovered) {
        return write(g -> {
            g.writeStringField("op", "ack");
            writeId(g, id);
            g.writeStringField("topic", topic);
            if (epoch != null) {
                g.writeStringField("epoch", epoch);
                g.writeNumberField("seq", seq);
            }
            if (recovered != null) {
                g.writeBooleanField("recovered", recovered);
            }
        });
    }

    /**
     * {@code {"op":"gap","topic":"chat.x","epoch":"E2","seq":N}}: the gateway could not deliver some messages of the
     * topic (its history no longer holds them, or it was lost); delivery goes on with the messages after
     * {@code seq} of epoch {@code epoch}. A client re-reads its state and keeps the new position.
     */
    public static byte[] gap(String topic, String epoch, long seq) {
        return write(g -> {
            g.writeStringField("op", "gap");
            g.writeStringField("topic", topic);
            g.writeStringField("epoch", epoch);
            g.writeNumberField("seq", seq);
        });
    }

    /**
     * The bytes every sequenced {@code message} frame of {@code topic} starts with, up to the first digit of its
     * {@code seq}: lets the gateway read a frame's offset without parsing it.
     */
    public static byte[] messageSeqPrefix(String topic) {
        byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[MESSAGE_HEAD.length + t.length + SEQ.length];
        put(out, put(out, put(out, 0, MESSAGE_HEAD), t), SEQ);
        return out;
    }

    /** {@code {"op":"ack","id":N,"seq":S}} for a publish; {@code seq < 0} leaves it out. */
    public static byte[] publishAck(Long id, long seq) {
        return write(g -> {
            g.writeStringField("op", "ack");
            writeId(g, id);
            if (seq >= 0) {
                g.writeNumberField("seq", seq);
            }
        });
    }

    /** {@code {"op":"ack","id":N,"user":"42"}} for connect and refresh; {@code expiresIn} seconds, or -1. */
    public static byte[] authAck(Long id, String user, long expiresIn) {
        return write(g -> {
            g.writeStringField("op", "ack");
            writeId(g, id);
            g.writeStringField("user", user);
            if (expiresIn >= 0) {
                g.writeNumberField("expires_in", expiresIn);
            }
        });
    }

    /** {@code {"op":"expiring","in":30}}: the token expires in that many seconds; send {@code refresh}. */
    public static byte[] expiring(long seconds) {
        return write(g -> {
            g.writeStringField("op", "expiring");
            g.writeNumberField("in", seconds);
        });
    }

    /**
     * {@code {"op":"skipped","topics":{"news.a":12}}}: messages of these topics were skipped while the connection
     * was over its outbound budget; a client that cares re-reads state (or, later, recovers from history).
     */
    public static byte[] skipped(java.util.Map<String, Integer> counts) {
        return write(g -> {
            g.writeStringField("op", "skipped");
            g.writeObjectFieldStart("topics");
            for (var e : counts.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    /** {@code {"op":"error","id":N,"code":"...","message":"..."}}. */
    public static byte[] error(Long id, ErrorCode code, String message) {
        return write(g -> {
            g.writeStringField("op", "error");
            writeId(g, id);
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
        });
    }

    /** {@code {"op":"pong","id":N}}. */
    public static byte[] pong(Long id) {
        return write(g -> {
            g.writeStringField("op", "pong");
            writeId(g, id);
        });
    }

    /**
     * {@code {"op":"connected","client":"...","node":"...","version":1,"ping":30}}: the first frame of every
     * connection; {@code ping} is the server heartbeat interval in seconds.
     */
    public static byte[] connected(String clientId, String nodeId, long pingSeconds) {
        return write(g -> {
            g.writeStringField("op", "connected");
            g.writeStringField("client", clientId);
            g.writeStringField("node", nodeId);
            g.writeNumberField("version", ProtocolVersion.CURRENT);
            g.writeNumberField("ping", pingSeconds);
        });
    }

    /** A JSON string literal (quoted and escaped) for {@code text}. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        return sb.append('"').toString();
    }

    private static String string(JsonParser p, JsonToken value, String field, Long id)
            throws IOException, ProtocolException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field " + field + " must be a string", id);
        }
        return p.getText();
    }

    /** {@code "since":{"epoch":"E","seq":41}}: both fields required, {@code seq} a non-negative integer. */
    private static ClientMessage.Since since(JsonParser p, JsonToken value, Long id)
            throws IOException, ProtocolException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field since must be an object {epoch, seq}", id);
        }
        String epoch = null;
        long seq = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "epoch" -> epoch = string(p, v, "since.epoch", id);
                case "seq" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 0) {
                        p.skipChildren();
                        throw new ProtocolException(ErrorCode.BAD_REQUEST,
                                "field since.seq must be a non-negative integer", id);
                    }
                    seq = p.getLongValue();
                }
                default -> p.skipChildren();
            }
        }
        if (epoch == null || seq < 0) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field since needs epoch and seq", id);
        }
        return new ClientMessage.Since(epoch, seq);
    }

    private static Long requestId(JsonParser p, JsonToken value) throws IOException, ProtocolException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
            p.skipChildren();
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field id must be a non-negative integer");
        }
        return p.getLongValue();
    }

    private static <T> T required(T value, String field, Long id) throws ProtocolException {
        if (value == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field: " + field, id);
        }
        return value;
    }

    private static String abbreviate(String s) {
        String cut = s.length() > 32 ? s.substring(0, 32) + "..." : s;
        return quote(cut);
    }

    private static void writeId(JsonGenerator g, Long id) throws IOException {
        if (id != null) {
            g.writeNumberField("id", id);
        }
    }

    private static int put(byte[] out, int at, byte[] src) {
        System.arraycopy(src, 0, out, at, src.length);
        return at + src.length;
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JsonSpans.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
