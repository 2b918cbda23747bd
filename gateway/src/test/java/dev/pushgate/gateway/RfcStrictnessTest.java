package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6455 / 7692 strictness beyond Netty's defaults, probed on raw sockets: upgrade requests that must be refused
 * (§4.2.1), Close frames with codes or reasons that are not allowed (§5.5.1, §7.4), a compressed message that inflates
 * past the limit, malformed request targets, {@code server_max_window_bits=15} offers, and a bounded close-code tag.
 */
class RfcStrictnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("ws.echo-enabled", "true", "ws.max-message-size", "64KiB",
                "ws.max-frame-size", "16KiB", "demos.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    // --- 5: handshake validation -------------------------------------------------------------------------------

    static Stream<Arguments> badUpgrades() {
        String host = "Host: 127.0.0.1\r\n";
        String up = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        String v13 = "Sec-WebSocket-Version: 13\r\n";
        String key = "Sec-WebSocket-Key: " + KEY + "\r\n";
        String get = "GET /ws HTTP/1.1\r\n";
        return Stream.of(
                Arguments.of("no key", get + host + up + v13, 400),
                Arguments.of("key not base64", get + host + up + v13 + "Sec-WebSocket-Key: not*base64*at*all!!!!=\r\n", 400),
                Arguments.of("key of 15 bytes", get + host + up + v13 + "Sec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(new byte[15]) + "\r\n", 400),
                Arguments.of("key of 17 bytes", get + host + up + v13 + "Sec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(new byte[17]) + "\r\n", 400),
                Arguments.of("key without padding", get + host + up + v13 + "Sec-WebSocket-Key: "
                        + KEY.substring(0, 22) + "\r\n", 400),
                Arguments.of("two keys", get + host + up + v13 + key + key, 400),
                Arguments.of("no host", get + up + v13 + key, 400),
                Arguments.of("HTTP/1.0", "GET /ws HTTP/1.0\r\n" + host + up + v13 + key, 400),
                Arguments.of("version 8", get + host + up + "Sec-WebSocket-Version: 8\r\n" + key, 426),
                Arguments.of("version 7", get + host + up + "Sec-WebSocket-Version: 7\r\n" + key, 426),
                Arguments.of("no version", get + host + up + key, 426),
                Arguments.of("two versions", get + host + up + v13 + v13 + key, 426));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpgrades")
    void badUpgradeRequestsAreRefusedWithAJsonError(String name, String head, int status) throws Exception {
        Response r = http(head + "\r\n");
        assertEquals(status, r.status(), name + ": " + r);
        assertEquals("application/json", r.header("content-type"), r.toString());
        assertEquals("bad_request", JSON.readTree(r.body()).path("error").path("code").asText(), r.toString());
        if (status == 426) {
            assertEquals("13", r.header("sec-websocket-version"), r.toString());
        }
        assertNull(r.header("sec-websocket-accept"), r.toString());
    }

    @Test
    void refusedUpgradesAreCountedByReason() throws Exception {
        String base = "GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        assertEquals(400, http(base + "Sec-WebSocket-Version: 13\r\n\r\n").status());
        assertEquals(426, http(base + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + KEY + "\r\n\r\n").status());
        String text = Http.get(TestGateways.httpUrl(gateway) + "/metrics").body();
        assertTrue(counter(text, "pushgate_handshake_failures_total", "reason", "invalid_key") >= 1, text);
        assertTrue(counter(text, "pushgate_handshake_failures_total", "reason", "version") >= 1, text);
        // Known reasons are exported from the start.
        assertTrue(counter(text, "pushgate_handshake_failures_total", "reason", "no_host") >= 0, text);
        assertTrue(counter(text, "pushgate_handshake_failures_total", "reason", "http_version") >= 0, text);
    }

    // --- 6: close frames ---------------------------------------------------------------------------------------

    private static RawWebSocket open() throws Exception {
        RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws");
        assertEquals(1, ws.readFrame(Duration.ofSeconds(5)).opcode(), "connected text frame");
        return ws;
    }

    private static byte[] closePayload(int code, byte... reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    /** The next server frame is a Close with {@code code}, and then the TCP connection ends (nothing else). */
    private static void assertOneCloseThenEnd(RawWebSocket ws, int code) throws IOException {
        RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
        assertNotNull(close, "a Close frame before TCP closes");
        assertEquals(code, close.closeCode(), "close code");
        assertNull(ws.readFrame(Duration.ofSeconds(5)), "exactly one Close frame, then the end of the stream");
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 32768, 65535})
    void closeWithADisallowedCodeGetsExactlyOne1002(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, closePayload(code));
            assertOneCloseThenEnd(ws, 1002);
        }
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999})
    void closeWithAnAllowedCodeIsEchoed(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, closePayload(code, "bye".getBytes(StandardCharsets.UTF_8)));
            assertOneCloseThenEnd(ws, code);
        }
    }

    @Test
    void framesSentWithTheUpgradeRequestAreNotLost() throws Exception {
        // A client that does not wait for the 101 (RFC 6455 4.1 says it should): its frames arrive in the same read.
        try (RawWebSocket ws = RawWebSocket.withEarlyFrames(gateway.port(), "/ws",
                "{\"op\":\"ping\",\"id\":1}", "{\"op\":\"subscribe\",\"id\":2,\"topic\":\"news.early\"}")) {
            assertEquals("connected", JSON.readTree(ws.readFrame(WAIT).text()).path("op").asText());
            assertEquals(1, JSON.readTree(ws.readFrame(WAIT).text()).path("id").asInt(), "the ping's pong");
            var ack = JSON.readTree(ws.readFrame(WAIT).text());
            assertEquals("ack", ack.path("op").asText(), ack.toString());
            assertEquals(2, ack.path("id").asInt(), ack.toString());
        }
        try (RawWebSocket echo = RawWebSocket.withEarlyFrames(gateway.port(), "/ws/echo", "early")) {
            assertEquals("early", echo.readFrame(WAIT).text());
        }
    }

    @Test
    void anHttpRequestPipelinedBehindTheUpgradeIsAFramingError() throws Exception {
        byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawWebSocket ws = RawWebSocket.withEarlyBytes(gateway.port(), "/ws", request)) {
            assertEquals("connected", JSON.readTree(ws.readFrame(WAIT).text()).path("op").asText());
            assertOneCloseThenEnd(ws, 1002);
        }
    }

    @Test
    void closeWithoutPayloadIsAnsweredWithoutACode() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, new byte[0]);
            assertOneCloseThenEnd(ws, 1005);
        }
    }

    @Test
    void closeWhoseReasonIsNotUtf8GetsExactlyOne1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, closePayload(1000, (byte) 0xce, (byte) 0xba, (byte) 0xe1, (byte) 0xbd, (byte) 0xb9,
                    (byte) 0xcf, (byte) 0x83, (byte) 0xce, (byte) 0xbc, (byte) 0xce, (byte) 0xb5, (byte) 0xed,
                    (byte) 0xa0, (byte) 0x80));
            assertOneCloseThenEnd(ws, 1007);
        }
    }

    @Test
    void closeWithAOneBytePayloadGetsExactlyOne1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, new byte[] {0x03});
            assertOneCloseThenEnd(ws, 1002);
        }
    }

    @Test
    void aBadFrameAfterOurCloseGetsNoSecondClose() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x82, new byte[] {1, 2, 3}); // binary: we close with 1003 and wait for the client's Close
            RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
            assertEquals(1003, close.closeCode());
            ws.sendFrame(0x88, closePayload(5000));
            assertNull(ws.readFrame(Duration.ofSeconds(5)), "no second Close frame");
        }
    }

    // --- 7: compressed message over the limit ------------------------------------------------------------------

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        d.end();
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 4); // RFC 7692 §7.2.1: drop 00 00 ff ff
    }

    static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater i = new Inflater(true);
        byte[] in = java.util.Arrays.copyOf(data, data.length + 4);
        in[data.length + 2] = (byte) 0xff;
        in[data.length + 3] = (byte) 0xff;
        i.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = i.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }

    static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

    @Test
    void compressedFrameInflatingPastTheMessageLimitIs1009() throws Exception {
        byte[] bomb = deflate(" ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
        assertTrue(bomb.length < 16 * 1024, "a small frame: " + bomb.length);
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws/echo", DEFLATE)) {
            assertTrue(ws.handshake().contains("permessage-deflate"), ws.handshake());
            ws.sendFrame(0xc1, bomb); // FIN + RSV1 + text
            assertOneCloseThenEnd(ws, 1009);
        }
    }

    @Test
    void corruptCompressedDataIs1007() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws/echo", DEFLATE)) {
            ws.sendFrame(0xc1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 0x01});
            assertOneCloseThenEnd(ws, 1007);
        }
        // Netty's deflate decoder raises again from channelInactive, which then never reaches the session handler.
        Await.until(Duration.ofSeconds(5), () -> gateway.sessionCount() == 0, () -> "the session outlived its connection");
    }

    // --- 8: malformed request targets --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%zz", "/%", "/a%2", "/api/presence?topic=%zz", "/healthz?x=%g1"})
    void malformedPercentEncodingIs400(String target) throws Exception {
        Response r = http("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateways.API_KEY
                + "\r\n\r\n");
        assertEquals(400, r.status(), r.toString());
        assertEquals("bad_request", JSON.readTree(r.body()).path("error").path("code").asText(), r.toString());
    }

    @Test
    void malformedPercentEncodingInAnUpgradeIs400() throws Exception {
        Response r = http("GET /ws?token=%zz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n\r\n");
        assertEquals(400, r.status(), r.toString());
        assertEquals("bad_request", JSON.readTree(r.body()).path("error").path("code").asText(), r.toString());
    }

    @Test
    void malformedPercentEncodingOnTheMetricsPortIs400() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Gateway g = TestGateways.start(Map.of("metrics.port", Integer.toString(port), "demos.enabled", "false"))) {
            Response r = http(g.metricsPort(), "GET /metrics?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(400, r.status(), r.toString());
            assertEquals("bad_request", JSON.readTree(r.body()).path("error").path("code").asText(), r.toString());
        }
    }

    // --- 9: server_max_window_bits=15 --------------------------------------------------------------------------

    @Test
    void deflateOfferWithTheDefaultServerWindowIsAccepted() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=15; client_max_window_bits\r\n")) {
            String ext = header(ws.handshake(), "sec-websocket-extensions");
            assertNotNull(ext, ws.handshake());
            assertTrue(ext.startsWith("permessage-deflate"), ext);
            assertTrue(ext.contains("server_max_window_bits=15"), "RFC 7692 §7.1.2.1: the response names it: " + ext);
            ws.sendFrame(0xc1, deflate("hello".getBytes(StandardCharsets.UTF_8)));
            RawWebSocket.Frame echo = ws.readFrame(Duration.ofSeconds(5));
            assertEquals("hello", echo.text(), "small answers go uncompressed");
            String big = "compressible ".repeat(100);
            ws.sendFrame(0xc1, deflate(big.getBytes(StandardCharsets.UTF_8)));
            RawWebSocket.Frame bigEcho = ws.readFrame(Duration.ofSeconds(5));
            assertEquals(big, new String(inflate(bigEcho.payload()), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"server_max_window_bits=10", "server_max_window_bits=8", "server_max_window_bits",
            "server_max_window_bits=abc", "server_max_window_bits=16"})
    void deflateOfferWithAnotherServerWindowIsDeclinedCleanly(String param) throws Exception {
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; " + param + "\r\n")) {
            assertNull(header(ws.handshake(), "sec-websocket-extensions"), ws.handshake());
            ws.sendFrame(0x81, "plain".getBytes(StandardCharsets.UTF_8));
            assertEquals("plain", ws.readFrame(Duration.ofSeconds(5)).text());
        }
    }

    @Test
    void theFirstAcceptableOfferWins() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws/echo", "Sec-WebSocket-Extensions: "
                + "permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=15\r\n")) {
            String ext = header(ws.handshake(), "sec-websocket-extensions");
            assertNotNull(ext, ws.handshake());
            assertTrue(ext.contains("server_max_window_bits=15"), ext);
        }
    }

    // --- 11: bounded close-code tag ----------------------------------------------------------------------------

    @Test
    void clientCloseCodesMintABoundedNumberOfSeries() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("ws.echo-enabled", "true", "demos.enabled", "false"))) {
            for (int code = 3000; code <= 3999; code++) {
                try (RawWebSocket ws = new RawWebSocket(g.port(), "/ws/echo")) {
                    ws.sendFrame(0x88, closePayload(code));
                    assertEquals(code, ws.awaitClose(Duration.ofSeconds(5)).closeCode());
                }
            }
            String url = TestGateways.httpUrl(g) + "/metrics";
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    return counter(Http.get(url).body(), "pushgate_connections_closed_total", "code", "other") >= 1000;
                } catch (Exception e) {
                    return false;
                }
            }, () -> "1000 closes counted as other");
            String text = Http.get(url).body();
            long series = text.lines().filter(l -> l.startsWith("pushgate_connections_closed_total{")).count();
            assertTrue(series <= 30, series + " series: " + text);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** An HTTP response read off a raw socket. */
    record Response(int status, String head, String body) {
        String header(String name) {
            return RfcStrictnessTest.header(head, name);
        }
    }

    static String header(String head, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head);
        return m.find() ? m.group(1) : null;
    }

    static double counter(String text, String name, String label, String value) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "=\"" + Pattern.quote(value)
                + "\"[^}]*} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static Response http(String request) throws IOException {
        return http(gateway.port(), request);
    }

    private static Response http(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed without a response; got " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(h.substring(9, 12));
        String length = header(h, "content-length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        return new Response(status, h, new String(body, StandardCharsets.UTF_8));
    }
}
