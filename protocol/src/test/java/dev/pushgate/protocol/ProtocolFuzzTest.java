package dev.pushgate.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the decoders: random bytes, random JSON-ish text and mutations of valid frames. Every input
 * must either decode or be refused with a {@link ProtocolException} carrying a documented code; nothing else may
 * escape. The seed is fixed so a failure reproduces.
 */
class ProtocolFuzzTest {
    private static final String[] VALID = {
            "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.lobby\"}",
            "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.lobby\",\"since\":{\"epoch\":\"e1\",\"seq\":41}}",
            "{\"op\":\"unsubscribe\",\"id\":2,\"topic\":\"a:b\"}",
            "{\"op\":\"publish\",\"id\":3,\"topic\":\"chat.x\",\"data\":{\"a\":[1,2,{\"b\":null}],\"s\":\"\\u00e9\"}}",
            "{\"op\":\"ping\",\"id\":4}",
            "{\"op\":\"connect\",\"id\":5,\"token\":\"a.b.c\"}",
    };
    private static final String ALPHABET = "{}[]\":,0123456789-.eE+truefalsnl \\u\n\t opidtcdat";

    @Test
    void clientFramesNeverThrowAnythingUndocumented() {
        Random r = new Random(20261122);
        for (int i = 0; i < 30_000; i++) {
            byte[] input = switch (i % 3) {
                case 0 -> randomBytes(r);
                case 1 -> randomText(r);
                default -> mutate(r, VALID[r.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8));
            };
            try {
                assertNotNull(ProtocolCodec.decode(input));
            } catch (ProtocolException e) {
                assertNotNull(e.code());
            } catch (RuntimeException e) {
                fail("undocumented failure for input " + new String(input, StandardCharsets.UTF_8), e);
            }
        }
    }

    @Test
    void publishBodiesAndEnvelopesNeverThrowAnythingUndocumented() {
        Random r = new Random(42);
        String[] valid = {"{\"topic\":\"a\",\"data\":1}", "[{\"topic\":\"a\",\"data\":{\"x\":[1]}},{\"topic\":\"b\",\"data\":\"s\"}]",
                "{\"seq\":5,\"data\":{\"k\":true}}"};
        for (int i = 0; i < 20_000; i++) {
            byte[] input = i % 2 == 0 ? randomText(r) : mutate(r, valid[r.nextInt(valid.length)].getBytes(StandardCharsets.UTF_8));
            try {
                PublishRequest.decodeBody(input, 100);
            } catch (ProtocolException e) {
                assertNotNull(e.code());
            } catch (RuntimeException e) {
                fail("undocumented failure for body " + new String(input, StandardCharsets.UTF_8), e);
            }
            try {
                BrokerEnvelope.decode(input);
            } catch (ProtocolException e) {
                assertNotNull(e.code());
            } catch (RuntimeException e) {
                fail("undocumented failure for envelope " + new String(input, StandardCharsets.UTF_8), e);
            }
        }
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }

    static byte[] randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(80);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
