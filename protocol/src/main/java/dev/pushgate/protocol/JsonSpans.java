package dev.pushgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.Arrays;

/**
 * Streaming JSON helpers shared by the decoders. Values such as {@code data} are cut out of the input as the raw
 * bytes the client sent (validated by the tokenizer, never re-serialised), so a payload costs one parse.
 */
final class JsonSpans {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private JsonSpans() {
    }

    /** Opens a parser over {@code buf[off, off+len)}; its byte offsets are relative to {@code off}. */
    static JsonParser parser(byte[] buf, int off, int len) throws IOException {
        return FACTORY.createParser(buf, off, len);
    }

    /**
     * With the parser on the first token of a value, skips the value and returns its raw bytes.
     * {@code base} is the array offset the parser was created with.
     */
    static byte[] rawValue(JsonParser p, byte[] buf, int base) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
        long end = p.currentLocation().getByteOffset();
        if (t == JsonToken.VALUE_STRING) {
            // A string's location ends before its closing quote is consumed until the text is read.
            p.getText();
            end = p.currentLocation().getByteOffset();
        }
        return Arrays.copyOfRange(buf, base + (int) start, base + (int) end);
    }

    /** Fails unless nothing but whitespace follows the root value. */
    static void expectEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new IOException("trailing content after the JSON value");
        }
    }
}
