package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 101 and the {@code connected} frame leave the gateway in one socket write (UpgradeResponseHold): a client's
 * first read after the upgrade request holds both, and they still parse as two things, the HTTP response head and
 * then one complete text frame (PROTOCOL.md: {@code connected} is the first frame).
 */
class UpgradeInOneWriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("demos.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void the101AndConnectedArriveInOneReadAndParseAsTwoThings() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];

            int n = in.read(buf);

            assertTrue(n > 0, "the gateway answered");
            String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            assertTrue(headEnd > 0, "the first read holds the whole 101 head: " + text);
            assertTrue(text.startsWith("HTTP/1.1 101 "), text);
            assertTrue(text.toLowerCase().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="), text);
            int frame = headEnd + 4;
            assertTrue(n >= frame + 2, "the first read holds the connected frame too (" + n + " bytes: " + text + ")");
            assertEquals(0x81, buf[frame] & 0xff, "one final text frame");
            int len = buf[frame + 1] & 0x7f;
            int payload = frame + 2;
            if (len == 126) {
                len = ((buf[frame + 2] & 0xff) << 8) | (buf[frame + 3] & 0xff);
                payload = frame + 4;
            }
            assertEquals(0, buf[frame + 1] & 0x80, "server frames are not masked");
            assertEquals(n, payload + len, "nothing but the 101 and the connected frame in the first read");
            JsonNode connected = JSON.readTree(Arrays.copyOfRange(buf, payload, payload + len));
            assertEquals("connected", connected.path("op").asText(), connected.toString());
            assertTrue(connected.path("client").asText().startsWith("c-"), connected.toString());
        }
    }
}
