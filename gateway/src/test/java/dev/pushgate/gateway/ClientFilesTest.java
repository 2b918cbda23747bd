package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser client and its TypeScript declarations are served, also with the demos off; the demos are not. */
class ClientFilesTest {
    @Test
    void clientJsAndItsDeclarationsAreServedWithTheDemosOff() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("demos.enabled", "false"))) {
            String base = TestGateways.httpUrl(g);
            HttpResponse<String> js = Http.get(base + "/client.js");
            assertEquals(200, js.statusCode());
            assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
            HttpResponse<String> types = Http.get(base + "/client.d.ts");
            assertEquals(200, types.statusCode());
            assertEquals("text/plain; charset=utf-8", types.headers().firstValue("content-type").orElse(""));
            assertTrue(types.body().contains("class Client") && types.body().contains("TransportName"), types.body());
            assertEquals(404, Http.get(base + "/chat.html").statusCode());
        }
    }
}
