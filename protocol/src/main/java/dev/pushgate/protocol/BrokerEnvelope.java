package dev.pushgate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a Redis pub/sub message on a topic's channel: {@code {"seq":17,"epoch":"E","data":...}}, as the
 * publish script ({@link RedisWire#PUBLISH_SCRIPT}) sends it. {@code seq} and {@code epoch} are optional (a plain
 * {@code PUBLISH} from a backend leaves them out; layout v1 sent {@code seq} without {@code epoch}, which a reader
 * treats as unsequenced); {@code data} is any JSON value. The gateway's
 * own presence events travel on the same channel as {@code {"op":"join","data":<member>}} and
 * {@code {"op":"leave","data":<member>}}; a missing {@code op} means {@code message}.
 */
public record BrokerEnvelope(long seq, String epoch, byte[] data, Kind kind) {
    /** The value of {@link #seq()} when the publisher did not sequence the message. */
    public static final long NO_SEQ = -1;

    /** What an envelope carries. */
    public enum Kind {
        /** A publication ({@code op} absent or {@code "message"}). */
        MESSAGE("message"),
        /** A subscriber joined the topic; {@code data} is the member. */
        JOIN("join"),
        /** A subscriber left the topic; {@code data} is the member. */
        LEAVE("leave");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The {@code op} value. */
        public String wire() {
            return wire;
        }
    }

    /** A publication envelope. */
    public BrokerEnvelope(long seq, String epoch, byte[] data) {
        this(seq, epoch, data, Kind.MESSAGE);
    }

    /** Whether this is a publication with a position (offset and epoch) of the current layout. */
    public boolean sequenced() {
        return kind == Kind.MESSAGE && seq >= 0 && epoch != null;
    }

    /** Encodes {@code {"seq":S,"data":...}} (no {@code seq} when {@code seq < 0}), without an epoch. */
    public static byte[] encode(long seq, byte[] data) {
        return wrap(seq >= 0 ? "{\"seq\":" + seq + ",\"data\":" : "{\"data\":", data);
    }

    /**
     * Encodes {@code {"seq":S,"epoch":"E","data":...}} as the publish script does; {@code epoch} must need no JSON
     * escaping (the layer's epochs are hex digits).
     */
    public static byte[] encode(long seq, String epoch, byte[] data) {
        return wrap("{\"seq\":" + seq + ",\"epoch\":\"" + epoch + "\",\"data\":", data);
    }

    /** Encodes a presence event {@code {"op":"join","data":<member>}} (or {@code leave}). */
    public static byte[] encodeEvent(Kind kind, byte[] member) {
        if (kind == Kind.MESSAGE) {
            throw new IllegalArgumentException("not an event: " + kind);
        }
        return wrap("{\"op\":\"" + kind.wire() + "\",\"data\":", member);
    }

    private static byte[] wrap(String head, byte[] data) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + data.length + 1];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(data, 0, out, h.length, data.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** Decodes an envelope; a payload that is not one is refused (the gateway counts and drops it). */
    public static BrokerEnvelope decode(byte[] payload) throws ProtocolException {
        long seq = NO_SEQ;
        String epoch = null;
        byte[] data = null;
        Kind kind = Kind.MESSAGE;
        try (JsonParser p = JsonSpans.parser(payload, 0, payload.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "envelope must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("seq".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    seq = p.getLongValue();
                } else if ("epoch".equals(field) && value == JsonToken.VALUE_STRING) {
                    epoch = p.getText();
                } else if ("data".equals(field)) {
                    data = JsonSpans.rawValue(p, payload, 0);
                } else if ("op".equals(field) && value == JsonToken.VALUE_STRING) {
                    kind = kind(p.getText());
                } else {
                    p.skipChildren();
                }
            }
            JsonSpans.expectEnd(p);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "invalid JSON envelope");
        }
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "envelope without data");
        }
        return new BrokerEnvelope(seq, epoch, data, kind);
    }

    /** Whether {@code json} is exactly one JSON value (what {@code data} must be). */
    public static boolean isJsonValue(byte[] json) {
        try (JsonParser p = JsonSpans.parser(json, 0, json.length)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            JsonSpans.expectEnd(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Kind kind(String op) throws ProtocolException {
        for (Kind k : Kind.values()) {
            if (k.wire.equals(op)) {
                return k;
            }
        }
        throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown envelope op");
    }
}
