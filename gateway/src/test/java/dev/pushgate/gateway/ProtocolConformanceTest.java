package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 6455 close behaviour: the right code, exactly one Close frame. */
class ProtocolConformanceTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawWebSocket open() throws Exception {
        RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws");
        assertEquals(1, ws.readFrame(Duration.ofSeconds(5)).opcode(), "connected text frame");
        return ws;
    }

    @Test
    void invalidUtf8Is1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x81, new byte[] {(byte) 0xc3, (byte) 0x28});
            RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
            assertNotNull(close);
            assertEquals(1007, close.closeCode());
            assertNull(ws.readAfterClose(Duration.ofMillis(500)), "exactly one Close frame");
        }
    }

    @Test
    void clientCloseIsEchoedWithItsCode() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x88, new byte[] {0x03, (byte) 0xe8});
            RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
            assertNotNull(close);
            assertEquals(1000, close.closeCode());
            assertNull(ws.readAfterClose(Duration.ofMillis(500)), "exactly one Close frame");
        }
    }

    @Test
    void unmaskedOrBadOpcodeIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendFrame(0x83, "x".getBytes(StandardCharsets.UTF_8)); // reserved opcode 3
            RawWebSocket.Frame close = ws.awaitClose(Duration.ofSeconds(5));
            assertNotNull(close);
            assertEquals(1002, close.closeCode());
            assertNull(ws.readAfterClose(Duration.ofMillis(500)), "exactly one Close frame");
        }
    }
}
