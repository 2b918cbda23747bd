package dev.pushgate.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests of the harness itself against a tiny page served by the JDK's HTTP server. */
class ChromiumTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>harness</title></head>
            <body>
              <p id="status">loading</p>
              <div id="target" style="width:200px;height:80px;background:#ccd">double-click me</div>
              <input id="field" type="text">
              <script>
                let clicks = 0, doubles = 0, trusted = true;
                const target = document.getElementById('target');
                target.addEventListener('click', (e) => { clicks++; trusted = trusted && e.isTrusted; });
                target.addEventListener('dblclick', (e) => { doubles++; trusted = trusted && e.isTrusted; });
                window.counts = () => ({clicks, doubles, trusted});
                setTimeout(() => { document.getElementById('status').textContent = 'ready'; }, 300);
              </script>
            </body></html>
            """;

    private static HttpServer server;
    private static String url;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/") ? 200 : 404;
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (status == 200) {
                    out.write(body);
                }
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void evaluatesExpressionsAndAwaitsPromises() {
        try (Chromium chrome = Chromium.launch(); Page page = chrome.open(url)) {
            assertEquals("harness", page.evaluate("document.title", String.class));
            assertEquals(42L, page.evaluate("6 * 7", Long.class));
            JsonNode object = page.evaluate("({a: [1, 2], b: 'x'})");
            assertEquals(2, object.path("a").get(1).asInt());
            assertEquals("x", object.path("b").asText());
            assertEquals("later", page.evaluate("new Promise(r => setTimeout(() => r('later'), 50))", String.class));
            assertTrue(page.evaluate("undefined").isMissingNode());
            CdpException thrown = assertThrows(CdpException.class, () -> page.evaluate("null.boom"));
            assertTrue(thrown.getMessage().contains("TypeError"), thrown.getMessage());
            assertThrows(CdpException.class, () -> page.evaluate("Promise.reject(new Error('nope'))"));
        }
    }

    @Test
    void waitForPollsUntilTruthyAndFailsAtTheDeadline() {
        try (Chromium chrome = Chromium.launch(); Page page = chrome.open(url)) {
            page.waitFor("document.getElementById('status').textContent === 'ready'", WAIT);
            AssertionError timeout = assertThrows(AssertionError.class,
                    () -> page.waitFor("document.getElementById('missing').textContent", Duration.ofMillis(300)));
            assertTrue(timeout.getMessage().contains("threw: TypeError"), timeout.getMessage());
        }
    }

    @Test
    void doubleClickIsARealMouseDoubleClick() {
        try (Chromium chrome = Chromium.launch(); Page page = chrome.open(url)) {
            page.doubleClick("#target");
            page.waitFor("counts().doubles === 1", WAIT);
            JsonNode counts = page.evaluate("counts()");
            assertEquals(2, counts.path("clicks").asInt());
            assertTrue(counts.path("trusted").asBoolean(), "events come from the input pipeline, not from script");
            assertThrows(CdpException.class, () -> page.doubleClick("#missing"));
        }
    }

    @Test
    void typeInsertsTextAndPagesAreSeparateTabs() {
        try (Chromium chrome = Chromium.launch(); Page a = chrome.open(url); Page b = chrome.open(url)) {
            a.type("#field", "hello <b>world</b>");
            assertEquals("hello <b>world</b>", a.evaluate("document.getElementById('field').value", String.class));
            assertEquals("", b.evaluate("document.getElementById('field').value", String.class));
            assertTrue(a.screenshot().length > 100);
            assertTrue(a.errors().isEmpty(), a.errors().toString());
        }
    }

    @Test
    void collectsUncaughtPageExceptions() {
        try (Chromium chrome = Chromium.launch(); Page page = chrome.open(url)) {
            // the timer schedules the resolution before it throws, so the exception event precedes the answer
            page.evaluate("new Promise(r => setTimeout(() => { setTimeout(r, 0); throw new Error('from a timer'); }, 0))");
            assertTrue(page.errors().stream().anyMatch(e -> e.contains("from a timer")), page.errors().toString());
        }
    }

    @Test
    void missingBinaryIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Chromium.launch(Path.of("/nonexistent/chromium")));
        assertTrue(e.getMessage().contains("apt-get install -y chromium"), e.getMessage());
    }
}
