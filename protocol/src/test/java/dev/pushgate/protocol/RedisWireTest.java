package dev.pushgate.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals("pushgate:v2:{news.sports}:meta", RedisWire.metaKey(RedisWire.DEFAULT_PREFIX, "news.sports"));
        assertEquals("pushgate:v2:{news.sports}:stream",
                RedisWire.streamKey(RedisWire.DEFAULT_PREFIX, "news.sports"));
        assertEquals("pushgate:probe:n1", RedisWire.probeChannel(RedisWire.DEFAULT_PREFIX, "n1"));
        assertFalse(RedisWire.probeChannel("p:", "x").startsWith(RedisWire.channelPrefix("p:")),
                "a probe is never a topic message");
    }

    @Test
    void everyValidTopicIsExactlyTheHashTagOfItsKeys() {
        // Redis hashes the text between the first '{' and the next '}'; topics can contain neither.
        for (char c = 0; c < 128; c++) {
            if (c == '{' || c == '}') {
                assertFalse(Topics.isValid("a" + c + "b"), "topics must not contain " + c);
            }
        }
        String key = RedisWire.metaKey("pre:", "chat/x@y=z-1:2.3");
        assertEquals("chat/x@y=z-1:2.3", key.substring(key.indexOf('{') + 1, key.indexOf('}')));
    }

    @Test
    void envelopeCarriesTheEpochAndStillReadsOldOnes() throws Exception {
        byte[] sequenced = BrokerEnvelope.encode(7, "18c1f0a2b3", utf8("{\"a\":1}"));
        assertEquals("{\"seq\":7,\"epoch\":\"18c1f0a2b3\",\"data\":{\"a\":1}}",
                new String(sequenced, StandardCharsets.UTF_8));
        BrokerEnvelope e = BrokerEnvelope.decode(sequenced);
        assertEquals(7, e.seq());
        assertEquals("18c1f0a2b3", e.epoch());
        assertTrue(e.sequenced());
        BrokerEnvelope v1 = BrokerEnvelope.decode(utf8("{\"seq\":3,\"data\":1}"));
        assertEquals(3, v1.seq());
        assertNull(v1.epoch());
        assertFalse(v1.sequenced(), "layout v1 offsets come from another counter");
        BrokerEnvelope plain = BrokerEnvelope.decode(utf8("{\"data\":1}"));
        assertFalse(plain.sequenced());
        assertNull(plain.epoch());
    }

    @Test
    void protocolDocumentsBothScriptsVerbatim() throws Exception {
        // Backends copy the scripts from PROTOCOL.md (indented by two spaces in a list item there).
        String doc = Files.readString(Path.of("PROTOCOL.md")).replace("\n  ", "\n");
        assertTrue(doc.contains(RedisWire.PUBLISH_SCRIPT), "PROTOCOL.md shows the publish script as it is");
        assertTrue(doc.contains(RedisWire.HISTORY_SCRIPT), "PROTOCOL.md shows the history script as it is");
    }

    @Test
    void entryIdsAreOffsets() {
        assertEquals(42, RedisWire.offsetOfEntryId("42-0"));
        assertEquals(-1, RedisWire.offsetOfEntryId("42-1"));
        assertEquals(-1, RedisWire.offsetOfEntryId("42"));
        assertEquals(-1, RedisWire.offsetOfEntryId("x-0"));
        assertEquals(-1, RedisWire.offsetOfEntryId("-0"));
        assertEquals(-1, RedisWire.offsetOfEntryId("1-00"));
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
