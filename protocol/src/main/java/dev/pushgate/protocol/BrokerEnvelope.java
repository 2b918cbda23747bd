package dev.pushgate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The payload of a Redis pub/sub message on a topic's channel: {@code {"seq":17,"data":...}}. {@code seq} is
 * optional (a plain {@code PUBLISH} from a backend may leave it out); {@code data} is any JSON value.
 */
public record BrokerEnvelope(long seq, byte[] data) {
    /** The value of {@link #seq()} when the publisher did not sequence the message. */
    public static final long NO_SEQ = -1;

    /** Encodes {@code {"seq":S,"data":...}} (no {@code seq} when {@code seq < 0}). */
    public static byte[] encode(long seq, byte[] data) {
        byte[] head = (seq >= 0 ? "{\"seq\":" + seq + ",\"data\":" : "{\"data\":")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** Decodes an envelope; a payload that is not one is refused (the gateway counts and drops it). */
    public static BrokerEnvelope decode(byte[] payload) throws ProtocolException {
        long seq = NO_SEQ;
        byte[] data = null;
        try (JsonParser p = JsonSpans.parser(payload, 0, payload.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "envelope must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("seq".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    seq = p.getLongValue();
                } else if ("data".equals(field)) {
                    data = JsonSpans.rawValue(p, payload, 0);
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
        return new BrokerEnvelope(seq, data);
    }
}
