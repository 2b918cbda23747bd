package dev.pushgate.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel naming, the envelope's event kinds and the presence frames. */
class RedisWireTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void defaultNamesAreWhatTheDocsAndTheBenchUse() {
        assertEquals("pushgate:topic:news.sports", RedisWire.channel(RedisWire.DEFAULT_PREFIX, "news.sports"));
        assertEquals("pushgate:topic:", RedisWire.channelPrefix(RedisWire.DEFAULT_PREFIX));
        assertEquals("pushgate:seq:news.sports", RedisWire.sequenceKey(RedisWire.DEFAULT_PREFIX, "news.sports"));
    }

    @Test
    void envelopeCarriesPresenceEvents() throws Exception {
        byte[] member = utf8("{\"client\":\"c-1\",\"node\":\"gw-1\",\"user\":null}");
        byte[] join = BrokerEnvelope.encodeEvent(BrokerEnvelope.Kind.JOIN, member);
        assertEquals("{\"op\":\"join\",\"data\":{\"client\":\"c-1\",\"node\":\"gw-1\",\"user\":null}}",
                new String(join, StandardCharsets.UTF_8));
        BrokerEnvelope e = BrokerEnvelope.decode(join);
        assertEquals(BrokerEnvelope.Kind.JOIN, e.kind());
        assertArrayEquals(member, e.data());
        assertEquals(BrokerEnvelope.Kind.LEAVE,
                BrokerEnvelope.decode(BrokerEnvelope.encodeEvent(BrokerEnvelope.Kind.LEAVE, member)).kind());
        assertEquals(BrokerEnvelope.Kind.MESSAGE, BrokerEnvelope.decode(utf8("{\"op\":\"message\",\"data\":1}")).kind());
        assertEquals(BrokerEnvelope.Kind.MESSAGE, BrokerEnvelope.decode(BrokerEnvelope.encode(3, utf8("1"))).kind());
        assertThrows(ProtocolException.class, () -> BrokerEnvelope.decode(utf8("{\"op\":\"explode\",\"data\":1}")));
        assertThrows(IllegalArgumentException.class,
                () -> BrokerEnvelope.encodeEvent(BrokerEnvelope.Kind.MESSAGE, member));
    }

    @Test
    void malformedEnvelopesAreRefused() {
        for (String bad : new String[] {"", "[]", "{\"data\":}", "{\"data\":1} x", "{\"seq\":1}", "not json"}) {
            assertThrows(ProtocolException.class, () -> BrokerEnvelope.decode(utf8(bad)), bad);
        }
    }

    @Test
    void jsonValueCheck() {
        assertTrue(BrokerEnvelope.isJsonValue(utf8("{\"a\":[1,2]}")));
        assertTrue(BrokerEnvelope.isJsonValue(utf8(" \"text\" ")));
        assertTrue(BrokerEnvelope.isJsonValue(utf8("null")));
        assertFalse(BrokerEnvelope.isJsonValue(utf8("")));
        assertFalse(BrokerEnvelope.isJsonValue(utf8("{\"a\":1")));
        assertFalse(BrokerEnvelope.isJsonValue(utf8("1 2")));
    }

    @Test
    void presenceFrames() {
        byte[] member = utf8("{\"client\":\"c-1\",\"node\":\"gw-1\",\"user\":\"42\"}");
        assertEquals("{\"op\":\"join\",\"topic\":\"chat.lobby\",\"member\":{\"client\":\"c-1\",\"node\":\"gw-1\",\"user\":\"42\"}}",
                new String(ProtocolCodec.join("chat.lobby", member), StandardCharsets.UTF_8));
        assertEquals("{\"op\":\"leave\",\"topic\":\"chat.lobby\",\"member\":{\"client\":\"c-1\",\"node\":\"gw-1\",\"user\":\"42\"}}",
                new String(ProtocolCodec.leave("chat.lobby", member), StandardCharsets.UTF_8));
    }
}
