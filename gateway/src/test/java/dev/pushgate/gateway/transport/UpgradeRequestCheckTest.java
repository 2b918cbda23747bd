package dev.pushgate.gateway.transport;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpgradeRequestCheckTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static HttpRequest upgrade(HttpVersion v) {
        HttpRequest r = new DefaultHttpRequest(v, HttpMethod.GET, "/ws");
        r.headers().add("Host", "example.com").add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Version", "13").add("Sec-WebSocket-Key", KEY);
        return r;
    }

    private static String reason(HttpRequest r) {
        UpgradeRequestCheck.Refusal refusal = UpgradeRequestCheck.check(r);
        return refusal == null ? null : refusal.reason();
    }

    @Test
    void theRfcExampleRequestPasses() {
        assertNull(UpgradeRequestCheck.check(upgrade(HttpVersion.HTTP_1_1)));
    }

    @Test
    void eachViolationHasItsReason() {
        assertEquals("http_version", reason(upgrade(HttpVersion.HTTP_1_0)));
        HttpRequest noHost = upgrade(HttpVersion.HTTP_1_1);
        noHost.headers().remove("Host");
        assertEquals("no_host", reason(noHost));
        HttpRequest twoHosts = upgrade(HttpVersion.HTTP_1_1);
        twoHosts.headers().add("Host", "other.example");
        assertEquals("no_host", reason(twoHosts));
        HttpRequest v8 = upgrade(HttpVersion.HTTP_1_1);
        v8.headers().set("Sec-WebSocket-Version", "8");
        assertEquals("version", reason(v8));
        assertEquals(426, UpgradeRequestCheck.check(v8).status().code());
        HttpRequest twoKeys = upgrade(HttpVersion.HTTP_1_1);
        twoKeys.headers().add("Sec-WebSocket-Key", KEY);
        assertEquals("invalid_key", reason(twoKeys));
    }

    @Test
    void aKeyIsTheBase64OfSixteenBytes() {
        assertTrue(UpgradeRequestCheck.validKey(KEY));
        assertFalse(UpgradeRequestCheck.validKey(KEY.substring(0, 22)), "unpadded");
        assertFalse(UpgradeRequestCheck.validKey("AAAAAAAAAAAAAAAAAAAAAAAA"), "24 characters, 18 bytes");
        assertFalse(UpgradeRequestCheck.validKey("not*base64*at*all!!!!=="));
        assertFalse(UpgradeRequestCheck.validKey("!GhlIHNhbXBsZSBub25jZQ=="));
        assertFalse(UpgradeRequestCheck.validKey(""));
    }
}
