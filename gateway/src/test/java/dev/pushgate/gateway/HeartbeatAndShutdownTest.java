package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server heartbeat closes dead peers; a graceful shutdown sends 1001 to everyone. */
class HeartbeatAndShutdownTest {

    @Test
    void silentPeerIsPingedThenClosedWithinTimeout() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("heartbeat.interval", "1s", "heartbeat.timeout", "2s"));
             RawWebSocket dead = new RawWebSocket(g.port(), "/ws");
             WsClient alive = WsClient.connect(TestGateways.wsUrl(g))) {
            long start = System.nanoTime();
            RawWebSocket.Frame connected = dead.readFrame(Duration.ofSeconds(5));
            assertTrue(connected.text().contains("\"op\":\"connected\""));
            RawWebSocket.Frame ping = dead.readFrame(Duration.ofSeconds(5));
            assertEquals(0x9, ping.opcode(), "expected a server Ping");
            RawWebSocket.Frame close = dead.awaitClose(Duration.ofSeconds(5));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotNull(close, "expected a Close frame before the connection ended");
            assertEquals(4000, close.closeCode());
            assertTrue(millis < 4500, "closed after " + millis + " ms, timeout is 2 s");
            // A client that answers pings (the JDK's does) outlives several intervals.
            assertEquals("ack", alive.publish("chat.x", "1").path("op").asText(), "live client still served");
            assertTrue(!alive.isClosed());
        }
    }

    @Test
    void shutdownSendsGoingAwayToEveryClient() throws Exception {
        Gateway g = TestGateways.start();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                WsClient c = WsClient.connect(TestGateways.wsUrl(g));
                c.subscribe("chat.bye");
                clients.add(c);
            }
            long start = System.nanoTime();
            g.close();
            for (WsClient c : clients) {
                assertEquals(1001, c.awaitClose());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 4000, "drain took " + millis + " ms with a 3 s grace period");
        } finally {
            clients.forEach(WsClient::close);
            g.close();
        }
    }
}
