package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of a live node: thousands of random and mutated WebSocket frames and HTTP requests. Every answer
 * must be documented (an error code, a close code, a listed HTTP status with a JSON error), nothing may leak a
 * stack trace, the node must stay up and keep serving a well-behaved client, and Netty's leak detector stays quiet.
 */
class WireFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ERROR_CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)
            .collect(Collectors.toSet());
    private static final Set<Integer> CLOSE_CODES = Arrays.stream(CloseCode.values()).map(CloseCode::code)
            .collect(Collectors.toSet());
    private static final Set<Integer> HTTP_STATUSES = Set.of(200, 400, 401, 403, 404, 405, 413, 415, 426, 503);
    private static final String[] FRAMES = {
            "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.f\"}", "{\"op\":\"publish\",\"id\":2,\"topic\":\"chat.f\",\"data\":[1,{\"a\":\"b\"}]}",
            "{\"op\":\"unsubscribe\",\"id\":3,\"topic\":\"chat.f\"}", "{\"op\":\"ping\",\"id\":4}", "{\"op\":\"refresh\",\"id\":5,\"token\":\"x\"}",
            "{\"op\":\"publish\",\"id\":6,\"topic\":\"news.f\",\"data\":1}",
            "{\"op\":\"subscribe\",\"id\":7,\"topic\":\"chat.g\",\"since\":{\"epoch\":\"e\",\"seq\":3}}"};

    @Test
    void randomFramesGetDocumentedAnswers() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("ws.max-frame-size", "4KiB", "ws.max-message-size", "8KiB"))) {
            Random r = new Random(7);
            int answered = 0;
            int closes = 0;
            RawWebSocket ws = open(g);
            try (WsClient bystander = WsClient.connect(TestGateways.wsUrl(g))) {
                bystander.subscribe("chat.bystander");
                for (int i = 0; i < 3000; i++) {
                    int kind = r.nextInt(10);
                    try {
                        if (kind < 6) {
                            ws.sendFrame(0x81, mutate(r, FRAMES[r.nextInt(FRAMES.length)]));
                        } else if (kind < 8) {
                            ws.sendFrame(0x81, ascii(r));
                        } else if (kind == 8) {
                            ws.sendFrame(r.nextInt(256), bytes(r)); // any opcode, any flags
                        } else {
                            ws.sendFrame(0x81, "{\"op\":\"ping\",\"id\":99}".getBytes(StandardCharsets.UTF_8));
                        }
                        RawWebSocket.Frame f = ws.readFrame(Duration.ofSeconds(5));
                        if (f == null || f.opcode() == 8) {
                            if (f != null) {
                                assertTrue(CLOSE_CODES.contains(f.closeCode()), "undocumented close " + f.closeCode());
                            }
                            closes++;
                            ws.close();
                            ws = open(g);
                            continue;
                        }
                        if (f.opcode() == 9 || f.opcode() == 10) {
                            continue;
                        }
                        JsonNode n = JSON.readTree(f.text());
                        String op = n.path("op").asText();
                        assertTrue(Set.of("ack", "pong", "error", "message").contains(op), "unexpected frame " + f.text());
                        if (op.equals("error")) {
                            assertTrue(ERROR_CODES.contains(n.path("code").asText()), "undocumented code " + f.text());
                            assertFalse(f.text().contains("Exception") || f.text().contains("dev.pushgate"), f.text());
                        }
                        answered++;
                    } catch (IOException e) {
                        // The server ended the connection (e.g. while a frame was in flight): start a new one.
                        closes++;
                        ws.close();
                        ws = open(g);
                    }
                }
                assertEquals("ack", bystander.publish("chat.bystander", "1").path("op").asText(), "node still serves");
                assertEquals(1, bystander.nextMessage().path("data").asInt());
            } finally {
                ws.close();
            }
            assertTrue(answered > 1000, "answered " + answered + " closes " + closes);
            assertTrue(closes > 10, "the fuzzer should have provoked closes, got " + closes);
        }
    }

    @Test
    void randomHttpRequestsGetDocumentedAnswers() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("http.max-body-size", "4KiB"))) {
            Random r = new Random(11);
            String[] paths = {"/api/publish", "/healthz", "/readyz", "/metrics", "/ws", "/", "/nope", "/api/presence",
                    "/demo/vote", "/client.js", "/../etc/passwd", "/%00", "/api/publish?x=%zz"};
            String[] methods = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW"};
            for (int i = 0; i < 600; i++) {
                String path = paths[r.nextInt(paths.length)];
                String method = methods[r.nextInt(methods.length)];
                String body = r.nextBoolean() ? new String(mutate(r, "{\"topic\":\"news.a\",\"data\":{\"x\":1}}"), StandardCharsets.ISO_8859_1)
                        : "x".repeat(r.nextInt(6000));
                StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
                if (r.nextBoolean()) {
                    req.append("Authorization: Bearer ").append(r.nextBoolean() ? TestGateways.API_KEY : "nope").append("\r\n");
                }
                if (r.nextBoolean()) {
                    req.append("Content-Type: ").append(r.nextBoolean() ? "application/json" : "text/plain").append("\r\n");
                }
                req.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n\r\n").append(body);
                String answer = exchange(g, req.toString());
                if (answer.isEmpty()) {
                    continue; // closed without an answer (e.g. body over the limit mid-stream): allowed
                }
                int status = Integer.parseInt(answer.substring(9, 12));
                assertTrue(HTTP_STATUSES.contains(status), "undocumented status " + status + " for " + method + " " + path);
                assertFalse(answer.contains("Exception") || answer.contains("at dev.pushgate") || answer.contains("io.netty"),
                        "internals leaked: " + answer);
                if (status >= 400 && !method.equals("HEAD")) {
                    String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                    assertTrue(ERROR_CODES.contains(JSON.readTree(json).path("error").path("code").asText()), answer);
                }
            }
            assertEquals(200, Http.get(TestGateways.httpUrl(g) + "/healthz").statusCode());
        }
    }

    private static RawWebSocket open(Gateway g) throws IOException {
        RawWebSocket ws = new RawWebSocket(g.port(), "/ws");
        ws.readFrame(Duration.ofSeconds(5)); // connected
        return ws;
    }

    private static String exchange(Gateway g, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", g.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                in.transferTo(out);
            } catch (IOException reset) {
                // the server may reset after answering a request it will not read fully
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] mutate(Random r, String valid) {
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        for (int e = 0; e < 1 + r.nextInt(3) && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            b[at] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : (byte) "{}[]\":,0-9a".charAt(r.nextInt(11));
        }
        return b;
    }

    private static byte[] ascii(Random r) {
        byte[] b = new byte[r.nextInt(100)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (32 + r.nextInt(95));
        }
        return b;
    }

    private static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 6000 : 120)];
        r.nextBytes(b);
        return b;
    }
}
