package dev.pushgate.browser;

import dev.pushgate.gateway.Gateway;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /client.js} when its node shuts down (the gateway closes the WebSocket with 1001): the page reconnects
 * through the same address to another node of the same Redis and resumes from its position, losing nothing.
 */
class ClientNodeFailoverBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("client-failover");
    private static Chromium chrome;

    @BeforeAll
    static void start() {
        chrome = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
    }

    private static void publish(Gateway node, String topic, int n) throws Exception {
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(node), "{\"topic\":\"" + topic + "\",\"data\":" + n + "}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aNodeShuttingDownHandsThePageToAnotherNodeWithNothingLost() throws Exception {
        Gateway a = TestGateways.start(REDIS.gatewayConfig(PREFIX));
        Gateway b = TestGateways.start(REDIS.gatewayConfig(PREFIX));
        String topic = "chat.failover";
        try (BlockingHttpProxy lb = new BlockingHttpProxy(a.port()); Page page = chrome.open(lb.httpUrl() + "/index.html")) {
            page.evaluate("""
                    new Promise((resolve, reject) => {
                      const s = document.createElement('script');
                      s.src = '/client.js'; s.onload = () => resolve(); s.onerror = reject;
                      document.head.appendChild(s);
                    })
                    """);
            page.evaluate("""
                    window.events = []; window.received = [];
                    window.client = new Pushgate.Client({backoffBase: 50, backoffCap: 400});
                    ['connected', 'disconnected', 'recovered', 'gap'].forEach(name => client.on(name, e => events.push(
                        {event: name, code: e.code, willReconnect: e.willReconnect, recovered: e.recovered})));
                    client.subscribe('%s', (data) => received.push(data));
                    client.connect();
                    null;
                    """.formatted(topic));
            page.waitFor("client.state === 'connected' && client.position('" + topic + "') !== null", WAIT);
            publish(a, topic, 1);
            publish(b, topic, 2);
            page.waitFor("received.length === 2", WAIT);

            lb.retarget(b.port());
            a.close(); // drains: its WebSockets are closed with 1001
            page.waitFor("events.some(e => e.event === 'disconnected' && e.code === 1001 && e.willReconnect)", WAIT);
            publish(b, topic, 3);
            publish(b, topic, 4);
            page.waitFor("events.some(e => e.event === 'recovered')", WAIT);
            assertTrue(page.evaluate("events.find(e => e.event === 'recovered').recovered", Boolean.class),
                    "resumed from history on the other node");
            publish(b, topic, 5);
            page.waitFor("received.length === 5", WAIT);
            assertEquals("[1,2,3,4,5]", page.evaluate("JSON.stringify(received)", String.class));
            assertEquals(0L, page.evaluate("events.filter(e => e.event === 'gap').length", Long.class));
            assertTrue(page.errors().isEmpty(), "page errors: " + page.errors());
        } finally {
            a.close();
            b.close();
        }
    }
}
