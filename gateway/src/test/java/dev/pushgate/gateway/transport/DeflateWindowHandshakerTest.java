package dev.pushgate.gateway.transport;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class DeflateWindowHandshakerTest {
    private final DeflateWindowHandshaker handshaker = new DeflateWindowHandshaker(
            new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, false, 1 << 16));

    private WebSocketServerExtension offer(String... params) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return handshaker.handshakeExtension(new WebSocketExtensionData("permessage-deflate", p));
    }

    @Test
    void fifteenIsAcceptedAndNamedInTheResponse() {
        WebSocketServerExtension ext = offer("server_max_window_bits", "15", "server_no_context_takeover", null);
        assertNotNull(ext);
        Map<String, String> response = ext.newReponseData().parameters();
        assertEquals("15", response.get("server_max_window_bits"));
        assertEquals(true, response.containsKey("server_no_context_takeover"));
    }

    @Test
    void otherWindowsAreDeclined() {
        assertNull(offer("server_max_window_bits", "8"));
        assertNull(offer("server_max_window_bits", "14"));
        assertNull(offer("server_max_window_bits", null));
        assertNull(offer("server_max_window_bits", "x"));
    }

    @Test
    void offersWithoutTheParameterAreNettys() {
        WebSocketServerExtension ext = offer();
        assertNotNull(ext);
        assertNull(ext.newReponseData().parameters().get("server_max_window_bits"));
    }
}
