package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corked fan-out writes (ADR 0017) end to end: with a write delay, a burst of publications reaches each socket in
 * one batch; every message still arrives as its own complete text frame, in order, a large one in its place, and a
 * deflate connection still gets the large one compressed. The leak detector (paranoid in tests) checks the corks.
 */
class CorkedFanoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        // A long write delay so the burst below is delivered in few batches (correct whatever the batching); no
        // shedding of late publications (QueueDelayTest's subject), which a loaded machine could trigger here.
        gateway = TestGateways.start(Map.of("fanout.write-delay", "200ms", "fanout.flush-bytes", "4KiB",
                "fanout.max-queue-delay", "0"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawWebSocket subscriber(String topic, String headers) throws Exception {
        RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws", headers);
        ws.sendTexts("{\"op\":\"subscribe\",\"id\":1,\"topic\":\"" + topic + "\"}");
        while (true) {
            RawWebSocket.Frame f = ws.readFrame(WAIT);
            assertNotNull(f, "closed before the subscribe ack");
            JsonNode m = JSON.readTree(f.payload());
            if ("ack".equals(m.path("op").asText()) && m.path("id").asLong() == 1) {
                return ws;
            }
        }
    }

    private static RawWebSocket.Frame readFrame(RawWebSocket ws, int i) throws Exception {
        try {
            return ws.readFrame(WAIT);
        } catch (java.io.IOException e) {
            throw new AssertionError("no frame for message " + i, e);
        }
    }

    @Test
    void aBurstOfSmallMessagesWithALargeOneArrivesAsSeparateFramesInOrder() throws Exception {
        String big = "\"" + "z".repeat(6000) + "\"";
        int n = 400;
        int bigAt = n / 2;
        try (RawWebSocket plain = subscriber("chat.cork", "");
             RawWebSocket deflate = subscriber("chat.cork", DEFLATE);
             WsClient pub = WsClient.connect(TestGateways.wsUrl(gateway))) {
            assertTrue(deflate.handshake().contains("permessage-deflate"), deflate.handshake());
            for (int i = 0; i < n; i++) {
                String data = i == bigAt ? big : "{\"i\":" + i + "}";
                pub.request("publish", "\"topic\":\"chat.cork\",\"data\":" + data);
            }
            for (int i = 0; i < n; i++) {
                RawWebSocket.Frame f = readFrame(plain, i);
                assertNotNull(f, "stream ended at message " + i);
                assertEquals(1, f.opcode(), "a text frame of its own");
                JsonNode m = JSON.readTree(f.payload());
                assertEquals("message", m.path("op").asText(), f.text());
                assertEquals(i + 1, m.path("seq").asLong(), "order");
                if (i == bigAt) {
                    assertEquals(6000, m.path("data").asText().length());
                } else {
                    assertEquals(i, m.path("data").path("i").asInt());
                }
            }
            for (int i = 0; i < n; i++) {
                RawWebSocket.Frame f = deflate.readFrame(WAIT);
                assertNotNull(f, "deflate stream ended at message " + i);
                if (i == bigAt) {
                    // Above ws.compression-min-size: compressed, so not the JSON text and much shorter.
                    assertTrue(f.payload().length < 1000, "compressed: " + f.payload().length);
                    assertNotEquals('{', f.payload()[0]);
                } else {
                    JsonNode m = JSON.readTree(new String(f.payload(), StandardCharsets.UTF_8));
                    assertEquals(i + 1, m.path("seq").asLong(), "order on the deflate connection");
                }
            }
        }
    }
}
