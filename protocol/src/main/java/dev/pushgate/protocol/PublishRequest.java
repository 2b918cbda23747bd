package dev.pushgate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One publication a backend asks for over HTTP: {@code {"topic":"news","data":...}}. A body is one such object or
 * a JSON array of them (the batch form).
 */
public record PublishRequest(String topic, byte[] data) {

    /** Decodes an HTTP publish body; at most {@code maxBatch} entries. */
    public static List<PublishRequest> decodeBody(byte[] body, int maxBatch) throws ProtocolException {
        try (JsonParser p = JsonSpans.parser(body, 0, body.length)) {
            JsonToken first = p.nextToken();
            List<PublishRequest> out = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                out.add(decodeOne(p, body, 0));
            } else if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw new ProtocolException(ErrorCode.BAD_REQUEST, "batch entries must be objects");
                    }
                    if (out.size() == maxBatch) {
                        throw new ProtocolException(ErrorCode.BAD_REQUEST, "batch larger than " + maxBatch);
                    }
                    out.add(decodeOne(p, body, out.size()));
                }
                if (out.isEmpty()) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "empty batch");
                }
            } else {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "body must be a JSON object or array");
            }
            JsonSpans.expectEnd(p);
            return out;
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "invalid JSON");
        }
    }

    private static PublishRequest decodeOne(JsonParser p, byte[] body, int index)
            throws IOException, ProtocolException {
        String topic = null;
        byte[] data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("topic".equals(field)) {
                if (value != JsonToken.VALUE_STRING) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, where(index) + "topic must be a string");
                }
                topic = p.getText();
            } else if ("data".equals(field)) {
                data = JsonSpans.rawValue(p, body, 0);
            } else {
                p.skipChildren();
            }
        }
        if (topic == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, where(index) + "missing field: topic");
        }
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, where(index) + "missing field: data");
        }
        return new PublishRequest(topic, data);
    }

    private static String where(int index) {
        return index == 0 ? "" : "entry " + index + ": ";
    }
}
