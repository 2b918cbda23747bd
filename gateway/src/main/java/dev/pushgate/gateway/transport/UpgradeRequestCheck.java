package dev.pushgate.gateway.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Base64;
import java.util.List;

/**
 * The RFC 6455 §4.2.1 checks of a WebSocket upgrade request that Netty's handshaker does not make: HTTP/1.1, exactly
 * one {@code Host}, exactly one {@code Sec-WebSocket-Version} and it is 13 (Netty's factory also speaks the drafts
 * 00, 07 and 08), exactly one {@code Sec-WebSocket-Key} that is the base64 of 16 bytes. Run before the request is
 * handed to the handshake, so a refused request never gets {@code 101}. Stateless.
 */
final class UpgradeRequestCheck {
    /** The only protocol version spoken (RFC 6455); a 426 names it in {@code Sec-WebSocket-Version}. */
    static final String VERSION = "13";

    /**
     * Why an upgrade request is refused.
     *
     * @param status 400, or 426 for a version this server does not speak
     * @param reason the {@code reason} tag of the handshake-failure metric (a fixed, small set)
     * @param message the error message for the client
     */
    record Refusal(HttpResponseStatus status, String reason, String message) {
    }

    private static final Refusal HTTP_VERSION = new Refusal(HttpResponseStatus.BAD_REQUEST, "http_version",
            "a WebSocket upgrade needs HTTP/1.1");
    private static final Refusal NO_HOST = new Refusal(HttpResponseStatus.BAD_REQUEST, "no_host",
            "a WebSocket upgrade needs exactly one Host header");
    private static final Refusal WRONG_VERSION = new Refusal(HttpResponseStatus.UPGRADE_REQUIRED, "version",
            "unsupported Sec-WebSocket-Version: this server speaks version " + VERSION + " only");
    private static final Refusal BAD_KEY = new Refusal(HttpResponseStatus.BAD_REQUEST, "invalid_key",
            "Sec-WebSocket-Key must be present once and be the base64 encoding of 16 bytes");

    private UpgradeRequestCheck() {
    }

    /** The refusal of {@code request} (a GET with {@code Upgrade: websocket}), or {@code null} when it may go on. */
    static Refusal check(HttpRequest request) {
        if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
            return HTTP_VERSION;
        }
        HttpHeaders headers = request.headers();
        if (!exactlyOne(headers.getAll(HttpHeaderNames.HOST))) {
            return NO_HOST;
        }
        List<String> versions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !versions.get(0).trim().equals(VERSION)) {
            return WRONG_VERSION;
        }
        List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !validKey(keys.get(0).trim())) {
            return BAD_KEY;
        }
        return null;
    }

    private static boolean exactlyOne(List<String> values) {
        return values.size() == 1 && !values.get(0).isBlank();
    }

    /** A 16-byte value in base64 is exactly 24 characters, the last two {@code ==}. */
    static boolean validKey(String key) {
        if (key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
