package dev.pushgate.gateway.transport;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;

import java.util.HashMap;
import java.util.Map;

/**
 * Accepts permessage-deflate offers that carry {@code server_max_window_bits=15} (RFC 7692 §7.1.2.1), which Netty's
 * handshaker declines unless window sizes are allowed, and allowing them would also accept 8–14, which need jzlib (not
 * shipped: the JDK's deflater has a fixed 15-bit window). So: an offer asking for 15 is handed to Netty's handshaker
 * without the parameter, and the response names {@code server_max_window_bits=15} as the RFC asks; an offer with any
 * other value (or none, or not a number) is declined, and the client's next offer, if any, is tried. Shared.
 */
final class DeflateWindowHandshaker implements WebSocketServerExtensionHandshaker {
    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";
    private static final String SERVER_MAX_WINDOW = "server_max_window_bits";
    private static final String JDK_WINDOW = "15";

    private final WebSocketServerExtensionHandshaker netty;

    /** @param netty Netty's permessage-deflate handshaker, configured without window sizes */
    DeflateWindowHandshaker(WebSocketServerExtensionHandshaker netty) {
        this.netty = netty;
    }

    @Override
    public WebSocketServerExtension handshakeExtension(WebSocketExtensionData offer) {
        if (!PERMESSAGE_DEFLATE.equals(offer.name())) {
            return netty.handshakeExtension(offer);
        }
        Map<String, String> rest = new HashMap<>(offer.parameters());
        String window = null;
        for (Map.Entry<String, String> p : offer.parameters().entrySet()) {
            if (p.getKey().equalsIgnoreCase(SERVER_MAX_WINDOW)) {
                window = p.getValue() == null ? "" : unquote(p.getValue());
                rest.remove(p.getKey());
            }
        }
        if (window == null) {
            return netty.handshakeExtension(offer);
        }
        if (!window.equals(JDK_WINDOW)) {
            return null;
        }
        WebSocketServerExtension accepted = netty.handshakeExtension(new WebSocketExtensionData(offer.name(), rest));
        return accepted == null ? null : new NamingWindow(accepted);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** The accepted extension, with {@code server_max_window_bits=15} added to its response. */
    private record NamingWindow(WebSocketServerExtension accepted) implements WebSocketServerExtension {
        @Override
        public int rsv() {
            return accepted.rsv();
        }

        @Override
        public WebSocketExtensionEncoder newExtensionEncoder() {
            return accepted.newExtensionEncoder();
        }

        @Override
        public WebSocketExtensionDecoder newExtensionDecoder() {
            return accepted.newExtensionDecoder();
        }

        @Override
        public WebSocketExtensionData newReponseData() {
            WebSocketExtensionData data = accepted.newReponseData();
            Map<String, String> params = new HashMap<>(data.parameters());
            params.put(SERVER_MAX_WINDOW, JDK_WINDOW);
            return new WebSocketExtensionData(data.name(), params);
        }
    }
}
