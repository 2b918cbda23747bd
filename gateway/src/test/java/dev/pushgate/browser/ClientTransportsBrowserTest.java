package dev.pushgate.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.pushgate.gateway.Gateway;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /client.js} against a real gateway in headless Chromium: state events, recovery after the network drops
 * the connection, a refused handshake, a forced transport the gateway lacks, and the ws → SSE → long-poll fallback
 * behind a proxy that blocks WebSocket upgrades (and then SSE).
 */
class ClientTransportsBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Installed in each page: loads client.js and records every client event in {@code window.events}. */
    private static final String HARNESS = """
            new Promise((resolve, reject) => {
              window.events = [];
              window.received = [];
              window.makeClient = (options) => {
                const client = new Pushgate.Client(Object.assign({backoffBase: 50, backoffCap: 400}, options || {}));
                ['connecting', 'connected', 'disconnected', 'subscribed', 'error', 'recovered', 'gap'].forEach(name =>
                    client.on(name, e => events.push(Object.assign({event: name}, e && typeof e === 'object'
                        ? {code: e.code, transport: e.transport, willReconnect: e.willReconnect, topic: e.topic,
                           recovered: e.recovered, message: e.message} : {}))));
                return client;
              };
              window.count = (name, extra) => events.filter(e => e.event === name
                  && Object.keys(extra || {}).every(k => e[k] === extra[k])).length;
              if (window.Pushgate) { resolve(); return; }
              const s = document.createElement('script');
              s.src = '/client.js';
              s.onload = () => resolve();
              s.onerror = () => reject(new Error('cannot load /client.js'));
              document.head.appendChild(s);
            })
            """;

    private static Gateway gateway;
    private static Chromium chrome;
    private BlockingHttpProxy proxy;
    private Page page;

    @BeforeAll
    static void start() {
        chrome = Chromium.launch();
        gateway = TestGateways.start();
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void startProxy() throws IOException {
        proxy = new BlockingHttpProxy(gateway.port());
    }

    @AfterEach
    void closeAll() {
        if (page != null) {
            assertTrue(page.errors().isEmpty(), "uncaught page errors: " + page.errors());
            page.close();
        }
        proxy.close();
    }

    /** A tab on the gateway's own origin, through the proxy, with client.js and the harness loaded. */
    private Page openThroughProxy() {
        page = chrome.open(proxy.httpUrl() + "/index.html");
        page.evaluate(HARNESS);
        return page;
    }

    private static void publish(String topic, int n) throws Exception {
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(gateway),
                "{\"topic\":\"" + topic + "\",\"data\":" + n + "}");
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Whether this gateway serves SSE (the sse branch); until it is merged, the fallback tests are skipped. */
    private static boolean serverHasSse() throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(TestGateways.httpUrl(gateway) + "/poll?topic=chat.probe")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() != 404;
    }

    @Test
    void webSocketStateEventsAndRecoveryAfterTheNetworkDropsTheConnection() throws Exception {
        openThroughProxy();
        String topic = "chat.ws-recovery";
        page.evaluate("""
                window.client = makeClient();
                client.subscribe('%s', (data, meta) => received.push(data));
                client.connect();
                null;
                """.formatted(topic));
        page.waitFor("count('connected', {transport: 'websocket'}) === 1 && count('subscribed') === 1", WAIT);
        assertEquals("connecting", page.evaluate("events[0].event", String.class));
        assertEquals("websocket", page.evaluate("events[0].transport", String.class));
        for (int i = 1; i <= 3; i++) {
            publish(topic, i);
        }
        page.waitFor("received.length === 3", WAIT);

        proxy.cutAll();
        page.waitFor("count('disconnected', {willReconnect: true}) === 1", WAIT);
        for (int i = 4; i <= 6; i++) {
            publish(topic, i); // while the page is away
        }
        page.waitFor("count('recovered', {recovered: true}) === 1", WAIT);
        publish(topic, 7);
        page.waitFor("received.length === 7", WAIT);
        assertEquals("[1,2,3,4,5,6,7]", page.evaluate("JSON.stringify(received)", String.class));
        assertEquals(2L, page.evaluate("count('connected', {transport: 'websocket'})", Long.class));
        assertEquals(0L, page.evaluate("count('gap')", Long.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse", "poll"})
    void connectionsCutWhileMessagesFlowLoseNothingAndRepeatNothing(String transport) throws Exception {
        if (!transport.equals("websocket")) {
            // The gateway must serve it (a check, so a missing endpoint fails here with a clear message).
            Assertions.assertTrue(serverHasSse(), "the gateway does not serve /sse and /poll yet");
        }
        openThroughProxy();
        String topic = "chat.flow-" + transport;
        page.evaluate("""
                window.client = makeClient({transport: '%s'});
                client.subscribe('%s', (data, meta) => received.push(data));
                client.connect();
                null;
                """.formatted(transport, topic));
        page.waitFor("count('subscribed') === 1", WAIT);
        int total = 80;
        for (int i = 1; i <= total; i++) {
            publish(topic, i);
            if (i == 25 || i == 55) {
                proxy.cutAll(); // messages keep coming while the page is away
            }
        }
        page.waitFor("received.length >= " + total, WAIT);
        String want = java.util.stream.IntStream.rangeClosed(1, total).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        assertEquals(want, page.evaluate("JSON.stringify(received)", String.class));
        if (!transport.equals("poll")) {
            // A cut between two polls hits only an idle keep-alive connection, which Chromium replaces by itself
            // (the next GET is retried on a new connection): the page need not notice, and nothing may be lost.
            assertTrue(page.evaluate("count('disconnected', {willReconnect: true})", Long.class) >= 1, "it was cut");
        }
        assertEquals(0L, page.evaluate("count('recovered', {recovered: false}) + count('gap')", Long.class));
    }

    @Test
    void theReadmeBrowserExampleRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("..").resolve("README.md"));
        int at = readme.indexOf("In the browser:");
        int from = readme.indexOf("<script>\n", at);
        int to = readme.indexOf("</script>", from);
        assertTrue(at > 0 && from > at && to > from, "README has the browser example");
        String script = readme.substring(from + "<script>\n".length(), to);
        openThroughProxy();
        page.evaluate("(() => {\n" + script + "\nwindow.readmeClient = client; })()");
        page.waitFor("readmeClient.state === 'connected'", WAIT);
        // the example logs the transport, the publish ack ("published, seq N") and the message itself ("N Object")
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (page.console().stream().noneMatch(line -> line.matches("log: published, seq \\d+"))
                || page.console().stream().noneMatch(line -> line.equals("log: connected over websocket"))
                || page.console().stream().noneMatch(line -> line.matches("log: \\d+ Object"))) {
            assertTrue(System.nanoTime() < deadline, "console: " + page.console());
            page.waitFor("true", WAIT); // one round trip to the page between looks
        }
    }

    @Test
    void refusedOriginStopsReconnectingWithAConsoleError() throws Exception {
        // The page comes from another origin than the gateway, which (by default) only lets its own pages in.
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] body;
            String type;
            if (exchange.getRequestURI().getPath().equals("/client.js")) {
                try (InputStream in = ClientTransportsBrowserTest.class.getResourceAsStream("/web/client.js")) {
                    assertNotNull(in, "web/client.js is on the classpath");
                    body = in.readAllBytes();
                }
                type = "text/javascript; charset=utf-8";
            } else {
                body = "<!doctype html><title>other origin</title>".getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=utf-8";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        other.start();
        try {
            page = chrome.open("http://127.0.0.1:" + other.getAddress().getPort() + "/");
            page.evaluate(HARNESS);
            page.evaluate("window.client = makeClient({url: '%s'}); client.connect(); null;"
                    .formatted(TestGateways.wsUrl(gateway)));
            page.waitFor("client.state === 'closed'", WAIT);
            JsonNode disconnected = page.evaluate("events.find(e => e.event === 'disconnected')");
            assertEquals(1008, disconnected.path("code").asInt());
            assertFalse(disconnected.path("willReconnect").asBoolean());
            assertEquals("forbidden", page.evaluate("events.find(e => e.event === 'error' && e.code !== 'transport')"
                    + ".code", String.class));
            assertTrue(page.console().stream().anyMatch(line -> line.startsWith("error: pushgate: the gateway refused")
                    && line.contains("ws.allowed-origins")), "console: " + page.console());
            // no reconnect storm: a later look still sees the one attempt
            page.evaluate("new Promise(r => setTimeout(r, 1000))");
            assertEquals(1L, page.evaluate("count('connecting')", Long.class));
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aForcedTransportTheGatewayDoesNotServeFailsClearly() {
        openThroughProxy();
        // Paths nothing serves stand for a gateway without the endpoint (before the sse branch, /sse and /poll too).
        page.evaluate("""
                window.sse = makeClient({transport: 'sse', sseUrl: '/no-such-sse'});
                window.poll = makeClient({transport: 'poll', pollUrl: '/no-such-poll'});
                sse.subscribe('chat.x', () => {}).catch(() => {});
                poll.subscribe('chat.x', () => {}).catch(() => {});
                sse.connect();
                poll.connect();
                null;
                """);
        page.waitFor("sse.state === 'closed' && poll.state === 'closed'", WAIT);
        assertEquals(2L, page.evaluate("count('error', {code: 'unsupported_transport'})", Long.class));
        assertEquals(2L, page.evaluate("count('disconnected', {willReconnect: false, code: 1008})", Long.class));
        assertEquals(2L, page.evaluate("count('connecting')", Long.class), "no retries");
        assertTrue(page.console().stream().anyMatch(line -> line.contains("does not serve sse")
                && line.contains("/no-such-sse") && line.contains("HTTP 404")), "console: " + page.console());
        assertTrue(page.console().stream().anyMatch(line -> line.contains("does not serve poll")
                && line.contains("HTTP 404")), "console: " + page.console());
        assertThrowsInPage("new Pushgate.Client({transport: 'carrier-pigeon'})", "transport must be");
    }

    private void assertThrowsInPage(String expression, String fragment) {
        String message = page.evaluate("(() => { try { " + expression + "; return 'no error'; } catch (e) { "
                + "return e.code + ': ' + e.message; } })()", String.class);
        assertTrue(message.startsWith("bad_option: ") && message.contains(fragment), message);
    }

    @Test
    void withWebSocketsBlockedItFallsBackToSseThenToLongPollLosingNothingAcrossAReconnect() throws Exception {
        // The gateway must serve it (a check, so a missing endpoint fails here with a clear message).
        Assertions.assertTrue(serverHasSse(), "the gateway does not serve /sse and /poll yet");
        proxy.blockWebSockets(true);
        openThroughProxy();
        String topic = "chat.fallback";
        page.evaluate("""
                window.client = makeClient();
                client.subscribe('%s', (data, meta) => received.push(data));
                client.connect();
                null;
                """.formatted(topic));
        page.waitFor("count('connected', {transport: 'sse'}) === 1 && count('subscribed') === 1", WAIT);
        assertEquals(0L, page.evaluate("count('connected', {transport: 'websocket'})", Long.class));
        publish(topic, 1);
        page.waitFor("received.length === 1", WAIT);
        // publish from the page goes over HTTP
        JsonNode ack = page.evaluate("client.publish('%s', 2)".formatted(topic));
        assertTrue(ack.path("seq").isNumber() || ack.path("results").isArray(), ack.toString());
        page.waitFor("received.length === 2", WAIT);

        // a reconnect on SSE resumes from the last event id
        page.evaluate("window.drops = count('disconnected', {transport: 'sse'})");
        proxy.cutAll();
        page.waitFor("count('disconnected', {transport: 'sse', willReconnect: true}) > drops", WAIT);
        publish(topic, 3);
        publish(topic, 4);
        page.waitFor("count('connected', {transport: 'sse'}) === 2", WAIT);
        publish(topic, 5);
        page.waitFor("received.length === 5", WAIT);
        assertEquals("[1,2,3,4,5]", page.evaluate("JSON.stringify(received)", String.class));
        page.waitFor("count('recovered', {recovered: true}) === 1", WAIT);

        // SSE blocked too: long-poll
        proxy.blockSse(true);
        proxy.cutAll();
        page.waitFor("count('connected', {transport: 'poll'}) === 1", WAIT);
        page.evaluate("window.mark = received.length");
        publish(topic, 6);
        page.waitFor("received.includes(6)", WAIT);
        // Cut a held poll, not the moment between two (then there is nothing to cut): nothing is published until
        // the cut, so the poll the proxy forwards is held.
        Await.until(WAIT, () -> proxy.forwarding("GET /poll"), () -> "no poll held at the proxy");
        proxy.cutAll();
        page.waitFor("count('disconnected', {transport: 'poll', willReconnect: true}) >= 1", WAIT);
        publish(topic, 7);
        publish(topic, 8);
        page.waitFor("received.includes(8)", WAIT);
        publish(topic, 9);
        page.waitFor("received.includes(9)", WAIT);
        assertEquals("[6,7,8,9]", page.evaluate("JSON.stringify(received.slice(received.indexOf(6)))", String.class),
                "every message once, in order, across the long-poll reconnect");
        assertEquals(0L, page.evaluate("count('connected', {transport: 'websocket'})", Long.class));
    }

    @Test
    void onAFallbackItReturnsToTheWebSocketOnceItGetsThroughAgain() throws Exception {
        // The gateway must serve it (a check, so a missing endpoint fails here with a clear message).
        Assertions.assertTrue(serverHasSse(), "the gateway does not serve /sse and /poll yet");
        proxy.blockWebSockets(true);
        openThroughProxy();
        String topic = "chat.upgrade";
        page.evaluate("""
                window.client = makeClient({upgradeInterval: 500});
                client.subscribe('%s', (data, meta) => received.push(data));
                client.connect();
                null;
                """.formatted(topic));
        page.waitFor("count('connected', {transport: 'sse'}) === 1 && count('subscribed') === 1", WAIT);
        publish(topic, 1);
        page.waitFor("received.length === 1", WAIT);
        proxy.blockWebSockets(false);
        page.waitFor("count('connected', {transport: 'websocket'}) === 1 && client.state === 'connected'"
                + " && count('recovered') >= 1", WAIT);
        assertTrue(page.evaluate("events.filter(e => e.event === 'recovered').pop().recovered", Boolean.class),
                "the WebSocket resumes from the position SSE reached");
        publish(topic, 2);
        page.waitFor("received.length === 2", WAIT);
        assertEquals("[1,2]", page.evaluate("JSON.stringify(received)", String.class));
    }

    @Test
    void aForcedLongPollDeliversEveryMessageOnceAcrossAReconnect() throws Exception {
        // The gateway must serve it (a check, so a missing endpoint fails here with a clear message).
        Assertions.assertTrue(serverHasSse(), "the gateway does not serve /sse and /poll yet");
        openThroughProxy();
        String topic = "chat.poll";
        page.evaluate("""
                window.client = makeClient({transport: 'poll'});
                client.subscribe('%s', (data, meta) => received.push(data));
                client.connect();
                null;
                """.formatted(topic));
        page.waitFor("count('connected', {transport: 'poll'}) === 1 && count('subscribed') === 1", WAIT);
        for (int i = 1; i <= 3; i++) {
            publish(topic, i);
        }
        page.waitFor("received.length === 3", WAIT);
        proxy.cutAll();
        publish(topic, 4);
        publish(topic, 5);
        page.waitFor("received.length === 5", WAIT);
        assertEquals("[1,2,3,4,5]", page.evaluate("JSON.stringify(received)", String.class));
        assertEquals(0L, page.evaluate("count('gap')", Long.class));
    }
}
