package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.RawHttp;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http.request-timeout}: a request head or body that stops arriving is answered 408 and closed by the
 * deadline (500 ms here), on the client port and the metrics port, and a WebSocket upgrade request that is never
 * completed too; an idle keep-alive connection between requests is not cut by it.
 */
class HttpRequestTimeoutTest {
    private static final long DEADLINE_MILLIS = 500;
    /** Far below the idle timer (60 s) and the socket read timeout, far above the deadline. */
    private static final long WITHIN_MILLIS = 5_000;
    private static Gateway gateway;
    private static int metricsPort;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        gateway = TestGateways.start(Map.of("http.request-timeout", DEADLINE_MILLIS + "ms",
                "metrics.port", Integer.toString(metricsPort)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aPartialRequestHeadIsAnswered408ByTheDeadline() throws Exception {
        assertTimesOut(gateway.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\nAccept: */", true);
    }

    @Test
    void aBodyAnnouncedButNeverSentIsAnswered408ByTheDeadline() throws Exception {
        assertTimesOut(gateway.port(), "POST /api/publish HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                + TestGateways.API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"to", true);
    }

    @Test
    void aWebSocketUpgradeHeadNeverCompletedIsClosedByTheDeadline() throws Exception {
        assertTimesOut(gateway.port(), "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n", false);
    }

    @Test
    void theMetricsPortHasTheSameDeadline() throws Exception {
        assertTimesOut(metricsPort, "GET /metrics HTTP/1.1\r\nHost: t\r\n", true);
    }

    @Test
    void theHandshakeTimeoutCoversAnUpgradeRequestWhoseBodyNeverComes() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("http.request-timeout", "30s",
                "ws.handshake-timeout", DEADLINE_MILLIS + "ms"))) {
            assertTimesOut(g.port(), "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Content-Length: 10\r\n\r\n", false);
        }
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheDeadlineAndAFastRequestIsNotCut() throws Exception {
        try (RawHttp c = new RawHttp(gateway.port(), 0, (int) (DEADLINE_MILLIS * 3))) {
            c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, c.read().status());
            // Three deadlines of silence: no 408, no close (the read times out on our side).
            assertThrows(SocketTimeoutException.class, c::read);
            c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    /** Sends {@code partial}, then nothing: the node answers 408 (when {@code answers}) and closes, by the deadline. */
    private static void assertTimesOut(int port, String partial, boolean answers) throws Exception {
        try (RawHttp c = new RawHttp(port, 0, (int) WITHIN_MILLIS)) {
            long start = System.nanoTime();
            c.send(partial);
            if (answers) {
                RawHttp.Response r = c.read();
                assertEquals(408, r.status(), r.text());
                assertTrue(r.text().contains("\"code\":\"request_timeout\""), r.text());
                assertEquals("close", r.header("connection"));
            }
            assertTrue(c.closedByServer(), "closed after the deadline");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= DEADLINE_MILLIS - 50 && millis < WITHIN_MILLIS,
                    "closed after " + millis + " ms, deadline " + DEADLINE_MILLIS + " ms");
        }
    }
}
