package dev.pushgate.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolCodecTest {

    private static ClientMessage decode(String json) throws ProtocolException {
        return ProtocolCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void decodesEveryOp() throws Exception {
        assertEquals(new ClientMessage.Subscribe(1L, "chat.lobby"), decode("{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.lobby\"}"));
        assertEquals(new ClientMessage.Unsubscribe(2L, "a"), decode("{\"op\":\"unsubscribe\",\"id\":2,\"topic\":\"a\"}"));
        assertEquals(new ClientMessage.Ping(4L), decode("{\"op\":\"ping\",\"id\":4}"));
        assertEquals(new ClientMessage.Ping(null), decode("{\"op\":\"ping\"}"));
        assertEquals(new ClientMessage.Connect(5L, "a.b.c"), decode("{\"op\":\"connect\",\"id\":5,\"token\":\"a.b.c\"}"));
        assertEquals(new ClientMessage.Refresh(6L, "d.e.f"), decode("{\"op\":\"refresh\",\"id\":6,\"token\":\"d.e.f\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[1,{\"b\":\"x\"}]}", "\"he said \\\"hi\\\"\"", "12.5e3", "-7", "true", "null", "[]", "\"\""})
    void publishDataIsTheRawValue(String data) throws Exception {
        ClientMessage m = decode("{\"op\":\"publish\",\"id\":3,\"topic\":\"chat.x\",\"data\":" + data + ",\"z\":1}");
        ClientMessage.Publish p = assertInstanceOf(ClientMessage.Publish.class, m);
        assertEquals(data, text(p.data()));
        assertEquals(3L, p.id());
    }

    @Test
    void dataAsLastFieldAndUnicode() throws Exception {
        ClientMessage.Publish p = (ClientMessage.Publish) decode("{\"topic\":\"t\",\"op\":\"publish\",\"data\":\"h\u00e9llo \u4e16\u754c\"}");
        assertEquals("\"h\u00e9llo \u4e16\u754c\"", text(p.data()));
        assertNull(p.id());
    }

    @Test
    void refusesBadInputWithDocumentedCodes() {
        assertCode(ErrorCode.BAD_REQUEST, "not json");
        assertCode(ErrorCode.BAD_REQUEST, "[1,2]");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\"");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"id\":1}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"id\":\"1\",\"topic\":\"a\"}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"id\":-1,\"topic\":\"a\"}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"id\":1,\"topic\":5}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"publish\",\"id\":1,\"topic\":\"a\"}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":1}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"ping\",\"op\":\"ping\"}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"ping\"} {}");
        assertCode(ErrorCode.UNKNOWN_OP, "{\"op\":\"explode\",\"id\":9}");
    }

    @Test
    void errorKeepsTheRequestIdWhenKnown() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("{\"op\":\"explode\",\"id\":9}"));
        assertEquals(9L, e.requestId());
    }

    @Test
    void encodesServerFrames() {
        byte[] data = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"op\":\"message\",\"topic\":\"chat.lobby\",\"seq\":7,\"data\":{\"n\":1}}",
                text(ProtocolCodec.message("chat.lobby", 7, data)));
        assertEquals("{\"op\":\"message\",\"topic\":\"t\",\"data\":{\"n\":1}}", text(ProtocolCodec.message("t", -1, data)));
        assertEquals("{\"op\":\"ack\",\"id\":1,\"topic\":\"a\"}", text(ProtocolCodec.ack(1L, "a")));
        assertEquals("{\"op\":\"ack\",\"id\":3,\"seq\":9}", text(ProtocolCodec.publishAck(3L, 9)));
        assertEquals("{\"op\":\"pong\",\"id\":4}", text(ProtocolCodec.pong(4L)));
        assertEquals("{\"op\":\"error\",\"code\":\"forbidden\",\"message\":\"say \\\"no\\\"\"}",
                text(ProtocolCodec.error(null, ErrorCode.FORBIDDEN, "say \"no\"")));
    }

    @Test
    void subscribeCarriesAnOptionalPositionToRecoverFrom() throws Exception {
        assertEquals(new ClientMessage.Subscribe(2L, "chat.x", new ClientMessage.Since("E", 41)),
                decode("{\"op\":\"subscribe\",\"id\":2,\"topic\":\"chat.x\",\"since\":{\"epoch\":\"E\",\"seq\":41}}"));
        assertEquals(new ClientMessage.Subscribe(2L, "chat.x", new ClientMessage.Since("E", 0)),
                decode("{\"op\":\"subscribe\",\"since\":{\"seq\":0,\"x\":[1],\"epoch\":\"E\"},\"id\":2,\"topic\":\"chat.x\"}"));
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":41}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":{\"seq\":41}}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":{\"epoch\":\"E\"}}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":{\"epoch\":\"E\",\"seq\":-1}}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":{\"epoch\":1,\"seq\":1}}");
        assertCode(ErrorCode.BAD_REQUEST, "{\"op\":\"subscribe\",\"topic\":\"a\",\"since\":{\"epoch\":\"E\",\"seq\":1.5}}");
    }

    @Test
    void encodesPositionsInAcksAndGaps() {
        assertEquals("{\"op\":\"ack\",\"id\":1,\"topic\":\"chat.x\",\"epoch\":\"E\",\"seq\":57,\"recovered\":true}",
                text(ProtocolCodec.subscribeAck(1L, "chat.x", "E", 57, true)));
        assertEquals("{\"op\":\"ack\",\"topic\":\"chat.x\",\"epoch\":\"E\",\"seq\":0}",
                text(ProtocolCodec.subscribeAck(null, "chat.x", "E", 0, null)));
        assertEquals("{\"op\":\"ack\",\"id\":1,\"topic\":\"chat.x\"}",
                text(ProtocolCodec.subscribeAck(1L, "chat.x", null, 0, null)));
        assertEquals("{\"op\":\"gap\",\"topic\":\"chat.x\",\"epoch\":\"E2\",\"seq\":9}",
                text(ProtocolCodec.gap("chat.x", "E2", 9)));
        String message = text(ProtocolCodec.message("chat.x", 123, "1".getBytes(StandardCharsets.UTF_8)));
        assertTrue(message.startsWith(text(ProtocolCodec.messageSeqPrefix("chat.x")) + "123,"), message);
    }

    @Test
    void publishBodiesSingleAndBatch() throws Exception {
        List<PublishRequest> one = PublishRequest.decodeBody("{\"topic\":\"a\",\"data\":1}".getBytes(StandardCharsets.UTF_8), 10);
        assertEquals(1, one.size());
        assertEquals("1", text(one.get(0).data()));
        List<PublishRequest> two = PublishRequest.decodeBody(
                "[{\"topic\":\"a\",\"data\":{\"x\":[1]}},{\"topic\":\"b\",\"data\":\"s\"}]".getBytes(StandardCharsets.UTF_8), 10);
        assertEquals(List.of("a", "b"), two.stream().map(PublishRequest::topic).toList());
        assertEquals("{\"x\":[1]}", text(two.get(0).data()));
        assertThrows(ProtocolException.class, () -> PublishRequest.decodeBody("[]".getBytes(StandardCharsets.UTF_8), 10));
        assertThrows(ProtocolException.class, () -> PublishRequest.decodeBody("[{\"topic\":\"a\",\"data\":1},{\"topic\":\"a\",\"data\":1}]".getBytes(StandardCharsets.UTF_8), 1));
        assertThrows(ProtocolException.class, () -> PublishRequest.decodeBody("{\"topic\":\"a\"}".getBytes(StandardCharsets.UTF_8), 10));
    }

    @Test
    void brokerEnvelopeRoundTrip() throws Exception {
        byte[] data = "[1,\"two\"]".getBytes(StandardCharsets.UTF_8);
        BrokerEnvelope e = BrokerEnvelope.decode(BrokerEnvelope.encode(42, data));
        assertEquals(42, e.seq());
        assertArrayEquals(data, e.data());
        BrokerEnvelope plain = BrokerEnvelope.decode("{\"data\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(BrokerEnvelope.NO_SEQ, plain.seq());
        assertThrows(ProtocolException.class, () -> BrokerEnvelope.decode("{\"seq\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void topicRules() {
        assertNull(Topics.violation("chat.lobby", 255));
        assertNull(Topics.violation("user:42/inbox", 255));
        assertEquals("chat", Topics.namespace("chat.lobby"));
        assertEquals("user", Topics.namespace("user:42.x"));
        assertEquals("", Topics.namespace("plain"));
        for (String bad : new String[] {"", ".a", "a.", ":a", "a b", "a\"b", "\u00e9", "x".repeat(256)}) {
            assertEquals(false, Topics.violation(bad, 255) == null, bad);
        }
        assertEquals(false, Topics.violation("abcd", 3) == null);
    }

    private static void assertCode(ErrorCode code, String json) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(json), json);
        assertEquals(code, e.code(), json);
    }
}
