package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.NettyWsClient;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Origin allowlist, CORS, RSV bits, the echo endpoint, rate limits and connection limits. */
class SecurityControlsTest {

    private static int upgradeStatus(Gateway g, String origin) throws Exception {
        try (Socket s = new Socket("127.0.0.1", g.port())) {
            String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + g.port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, 12);
            return Integer.parseInt(new String(head, 9, Math.min(3, n - 9), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void defaultOriginPolicyAllowsSameOriginAndNoOriginOnly() throws Exception {
        try (Gateway g = TestGateways.start()) {
            assertEquals(101, upgradeStatus(g, null));
            assertEquals(101, upgradeStatus(g, "http://127.0.0.1:" + g.port()));
            assertEquals(403, upgradeStatus(g, "https://evil.example"));
            assertEquals(403, upgradeStatus(g, "http://127.0.0.1:1"));
        }
    }

    @Test
    void configuredOriginsAndCors() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("ws.allowed-origins", "https://app.example.com"))) {
            assertEquals(101, upgradeStatus(g, "https://app.example.com"));
            assertEquals(403, upgradeStatus(g, "https://evil.example"));
            HttpResponse<String> preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(TestGateways.httpUrl(g) + "/api/publish"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, preflight.statusCode());
            assertEquals("https://app.example.com",
                    preflight.headers().firstValue("access-control-allow-origin").orElse(null));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(TestGateways.httpUrl(g) + "/healthz"))
                    .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("retry-after", health.headers().firstValue("access-control-expose-headers")
                    .orElse("").toLowerCase(java.util.Locale.ROOT), "a page can read Retry-After of a 429");
        }
    }

    @Test
    void rsvBitsWithoutExtensionAre1002WithExactlyOneClose() throws Exception {
        try (Gateway g = TestGateways.start(); RawWebSocket ws = new RawWebSocket(g.port(), "/ws")) {
            ws.readFrame(Duration.ofSeconds(5)); // connected
            ws.sendFrame(0x81 | 0x40, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8)); // RSV1, no deflate
            RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
            assertNotNull(close);
            assertEquals(1002, close.closeCode());
            assertNull(ws.readAfterClose(Duration.ofMillis(500)), "exactly one Close frame");
        }
    }

    @Test
    void echoEndpointIsOffByDefault() throws Exception {
        try (Gateway g = TestGateways.start()) {
            assertThrows(IOException.class, () -> new RawWebSocket(g.port(), "/ws/echo"));
        }
    }

    @Test
    void fragmentedAndCompressedMessagesComeBackIntactThroughEcho() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("ws.echo-enabled", "true", "ws.compression-min-size", "1B"));
             NettyWsClient c = new NettyWsClient("ws://127.0.0.1:" + g.port() + "/ws/echo")) {
            assertTrue(c.compressed(), "permessage-deflate negotiated");
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                text.append("fragment ").append(i).append(' ');
            }
            String whole = text.toString();
            int third = whole.length() / 3;
            c.send(new TextWebSocketFrame(false, 0, whole.substring(0, third)),
                    new ContinuationWebSocketFrame(false, 0, whole.substring(third, 2 * third)),
                    new ContinuationWebSocketFrame(true, 0, whole.substring(2 * third)));
            WebSocketFrame back = c.next();
            assertNotNull(back);
            assertEquals(whole, ((TextWebSocketFrame) back).text());
            back.release();

            byte[] random = new byte[40_000];
            ThreadLocalRandom.current().nextBytes(random);
            c.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(random)));
            WebSocketFrame bin = c.next();
            assertInstanceOf(BinaryWebSocketFrame.class, bin);
            assertArrayEquals(random, ByteBufUtil.getBytes(bin.content()));
            bin.release();
        }
    }

    @Test
    void floodingClientIsRefusedThenClosedWith4002() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("limits.messages-per-second", "5", "limits.messages-burst", "10"));
             WsClient c = WsClient.connect(TestGateways.wsUrl(g))) {
            for (int i = 0; i < 50; i++) {
                c.request("ping", "");
            }
            JsonNode limited = c.next(n -> n.path("code").asText().equals("rate_limited"));
            assertEquals("error", limited.path("op").asText());
            assertEquals(4002, c.awaitClose());
        }
    }

    @Test
    void perIpConnectionLimitLeavesOtherAddressesAlone() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("host", "0.0.0.0", "limits.max-connections-per-ip", "5"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(open(g, "127.0.0.1"));
                }
                for (Socket s : held) {
                    assertTrue(answers(s), "connections within the limit are served");
                }
                Socket over = open(g, "127.0.0.1");
                held.add(over);
                assertEquals(-1, readOrEnd(over), "the sixth connection from one IP is closed at once");
                Socket other = open(g, "127.0.0.2");
                held.add(other);
                assertTrue(answers(other), "another IP still connects");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void closedConnectionsLeaveTheCountsAndTheTotalCapStillHolds() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("host", "0.0.0.0", "limits.max-connections-per-ip", "1",
                "limits.max-connections", "2"))) {
            for (int i = 0; i < 3; i++) {
                // Each round's connection is served once the previous one's close has been counted.
                dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(5), () -> {
                    try (Socket s = open(g, "127.0.0.1")) {
                        return answers(s);
                    } catch (IOException e) {
                        return false;
                    }
                }, () -> "a connection after the previous one closed is served");
            }
            List<Socket> two = new ArrayList<>();
            try {
                // Two from other addresses, once the last round's close has been counted too.
                dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(5), () -> {
                    try {
                        Socket s = open(g, "127.0.0." + (3 + two.size()));
                        if (answers(s)) {
                            two.add(s);
                        } else {
                            s.close();
                        }
                    } catch (IOException e) {
                        return false;
                    }
                    return two.size() == 2;
                }, () -> "two addresses within the total cap are served");
                try (Socket third = open(g, "127.0.0.5")) {
                    assertEquals(-1, readOrEnd(third), "the third connection is over the total cap");
                }
            } finally {
                for (Socket s : two) {
                    s.close();
                }
            }
        }
    }

    private static Socket open(Gateway g, String source) throws IOException {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), g.port(), InetAddress.getByName(source), 0);
        s.setSoTimeout(5000);
        return s;
    }

    private static boolean answers(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] b = new byte[12];
        return s.getInputStream().readNBytes(b, 0, 12) == 12 && new String(b, StandardCharsets.US_ASCII).contains("200");
    }

    private static int readOrEnd(Socket s) throws IOException {
        try {
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }
}
