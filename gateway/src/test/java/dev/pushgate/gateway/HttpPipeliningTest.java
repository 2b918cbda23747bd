package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawHttp;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1 pipelining (RFC 9112 §9.3.2): one request in flight per connection, so a client that pipelines
 * thousands of requests and never reads costs the node one response, not thousands, and answers come in request
 * order even when an endpoint answers asynchronously.
 */
class HttpPipeliningTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final int REQUESTS = 5_000;
    private static final long MAX_GROWTH = 16L << 20;
    private static final Pattern STATIC_ANSWERED =
            Pattern.compile("pushgate_http_requests_total\\{route=\"static\",status=\"200\"[^}]*} ([0-9.E]+)");

    @Test
    void thousandsOfPipelinedRequestsFromAClientThatDoesNotReadStayInBoundedMemory() throws Exception {
        int fileSize;
        try (InputStream in = Gateway.class.getResourceAsStream("/web/client.js")) {
            fileSize = in.readAllBytes().length;
        }
        try (Gateway g = TestGateways.start(Map.of("demos.enabled", "false"))) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                // Every tenth asks for a path that does not exist: its 404 names the path, so order is visible.
                all.append(i % 10 == 9 ? "GET /nope-" + i : "GET /client.js").append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            long before = directMemory();
            try (RawHttp c = new RawHttp(g.port(), 32 * 1024, 20_000)) {
                // The writer blocks once the node stops reading; it finishes when we read below.
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        c.send(all.toString());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                awaitAnsweredSettles(g);
                long growth = directMemory() - before;
                assertTrue(growth < MAX_GROWTH, "Netty direct memory grew by " + (growth >> 20)
                        + " MiB for one connection that does not read (bound " + (MAX_GROWTH >> 20) + " MiB)");
                for (int i = 0; i < REQUESTS; i++) {
                    RawHttp.Response r = c.read();
                    if (i % 10 == 9) {
                        assertEquals(404, r.status(), "response " + i);
                        assertTrue(r.text().contains("/nope-" + i + "\""), "response " + i + " out of order: " + r.text());
                    } else {
                        assertEquals(200, r.status(), "response " + i);
                        assertEquals(fileSize, r.body().length, "response " + i);
                    }
                }
                sent.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Also: the health check waits longer than the request deadline behind the publish, and is not timed out. */
    @Test
    void aPipelinedHealthCheckIsAnsweredAfterASlowPublishBeforeIt() throws Exception {
        Map<String, String> config = new HashMap<>(REDIS.gatewayConfig(RedisServerExtension.uniquePrefix("pipeline")));
        config.put("http.request-timeout", "300ms");
        try (Gateway g = TestGateways.start(config)) {
            String body = "{\"topic\":\"news.pipelined\",\"data\":1}";
            // Warm up the publish path (script loaded), so the pause below is what makes it slow.
            assertEquals(200, Http.publish(TestGateways.httpUrl(g), body).statusCode());
            try (RawHttp c = new RawHttp(g.port())) {
                REDIS.redis().clientPause(1000);
                c.send("POST /api/publish HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + TestGateways.API_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                        + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttp.Response first = c.read();
                assertEquals(200, first.status(), first.text());
                assertTrue(first.text().contains("\"results\""), "the publish answer comes first, got: " + first.text());
                RawHttp.Response second = c.read();
                assertEquals(200, second.status());
                assertTrue(!second.text().contains("\"results\""), "then the health check: " + second.text());
            }
        }
    }

    private static long directMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    /** Waits until the node answers no more (all of them, or the same count for a second): it consumed what it will. */
    private static void awaitAnsweredSettles(Gateway g) {
        long[] last = {-1, System.nanoTime()};
        Await.until(Duration.ofSeconds(20), () -> {
            long n = staticAnswered(g);
            long now = System.nanoTime();
            if (n != last[0]) {
                last[0] = n;
                last[1] = now;
                return n >= REQUESTS * 9L / 10;
            }
            return now - last[1] > TimeUnit.SECONDS.toNanos(1);
        }, () -> "answers still rising: " + last[0]);
    }

    private static long staticAnswered(Gateway g) {
        try {
            Matcher m = STATIC_ANSWERED.matcher(Http.get(TestGateways.httpUrl(g) + "/metrics").body());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
