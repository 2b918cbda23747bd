package dev.pushgate.browser;

import dev.pushgate.gateway.Gateway;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demos served at {@code /}, driven in headless Chromium across several tabs of one browser. */
class DemoBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static Gateway gateway;
    private static Chromium chrome;

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

    private static String url(String page) {
        return TestGateways.httpUrl(gateway) + "/" + page;
    }

    @Test
    void twoTabsChatAndUserTextStaysText() {
        try (Page a = chrome.open(url("chat.html#room1")); Page b = chrome.open(url("chat.html#room1"))) {
            a.waitFor("document.body.dataset.joined === 'room1'", WAIT);
            b.waitFor("document.body.dataset.joined === 'room1'", WAIT);
            a.type("#name", "ann");
            a.type("#text", "hello from tab A");
            a.click("#submit");
            b.waitFor("[...document.querySelectorAll('#messages .msg')].some(li => "
                    + "li.querySelector('.user').textContent === 'ann' && li.querySelector('.text').textContent === 'hello from tab A')", WAIT);

            String attack = "<img src=x onerror=\"document.body.dataset.pwned=1\">";
            b.type("#name", "<b>mallory</b>");
            b.type("#text", attack);
            b.click("#submit");
            a.waitFor("[...document.querySelectorAll('#messages .text')].some(s => s.textContent === "
                    + "'<img src=x onerror=\"document.body.dataset.pwned=1\">')", WAIT);
            assertTrue(a.evaluate("document.querySelector('#messages img, #messages b') === null", Boolean.class),
                    "user text must not become elements");
            assertTrue(a.evaluate("document.body.dataset.pwned === undefined", Boolean.class), "no script ran");
            assertTrue(a.errors().isEmpty() && b.errors().isEmpty(), "page errors: " + a.errors() + b.errors());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse", "poll"})
    void chatOverAForcedTransport(String transport) throws Exception {
        if (!transport.equals("websocket")) {
            // The gateway must serve /sse and /poll (a check, so a missing endpoint fails here with a clear message).
            HttpResponse<Void> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(TestGateways.httpUrl(gateway) + "/poll?topic=chat.probe")).build(),
                    HttpResponse.BodyHandlers.discarding());
            Assertions.assertTrue(probe.statusCode() != 404, "the gateway does not serve /sse and /poll yet");
        }
        String room = "forced-" + transport;
        try (Page a = chrome.open(url("chat.html?transport=" + transport + "#" + room));
             Page b = chrome.open(url("chat.html?transport=" + transport + "#" + room))) {
            a.waitFor("document.body.dataset.joined === '" + room + "'", WAIT);
            b.waitFor("document.body.dataset.joined === '" + room + "'", WAIT);
            assertEquals(transport, a.evaluate("document.body.dataset.transport", String.class));
            for (int i = 1; i <= 3; i++) {
                a.type("#name", "ann");
                a.type("#text", "message " + i + " over " + transport);
                a.evaluate("document.getElementById('send').requestSubmit()"); // a background tab: no mouse
            }
            String texts = "[...document.querySelectorAll('#messages .msg:not(.note) .text')].map(s => s.textContent)"
                    + ".join('|')";
            String want = "message 1 over " + transport + "|message 2 over " + transport + "|message 3 over " + transport;
            b.waitFor(texts + " === '" + want + "'", WAIT);
            a.waitFor(texts + " === '" + want + "'", WAIT);
            assertTrue(a.errors().isEmpty() && b.errors().isEmpty(), "page errors: " + a.errors() + b.errors());
        }
    }

    @Test
    void voteDoubleClickUpdatesEveryTabAndLaterTabsSeeTheCount() {
        try (Page a = chrome.open(url("vote.html")); Page b = chrome.open(url("vote.html"))) {
            String count = "document.querySelector('.candidate[data-id=\"2\"] .count').textContent";
            a.waitFor(count + " === '0'", WAIT);
            b.waitFor(count + " === '0'", WAIT);
            b.waitFor("document.getElementById('state').dataset.state === 'connected'", WAIT);
            a.doubleClick(".candidate[data-id=\"2\"] .name");
            b.waitFor(count + " === '1'", WAIT);
            a.doubleClick(".candidate[data-id=\"2\"] .name");
            b.waitFor(count + " === '2'", WAIT);
            try (Page late = chrome.open(url("vote.html"))) {
                late.waitFor(count + " === '2'", WAIT);
            }
            assertEquals("0", b.evaluate("document.querySelector('.candidate[data-id=\"1\"] .count').textContent", String.class));
        }
    }

    @Test
    void pagesFollowAGatewayRestartOnTheSamePort() {
        Gateway first = TestGateways.start();
        int port = first.port();
        String base = TestGateways.httpUrl(first) + "/";
        String counts = "[...document.querySelectorAll('.candidate .count')].map(c => c.textContent).join()";
        Gateway second = null;
        try (Page chatA = chrome.open(base + "chat.html#restart"); Page chatB = chrome.open(base + "chat.html#restart");
             Page vote = chrome.open(base + "vote.html")) {
            chatB.waitFor("document.body.dataset.joined === 'restart'", WAIT);
            vote.waitFor(counts + " === '0,0,0'", WAIT);
            vote.doubleClick(".candidate[data-id=\"1\"] .name");
            vote.waitFor(counts + " === '1,0,0'", WAIT);

            first.close();
            chatB.waitFor("document.getElementById('state').dataset.state !== 'connected'", WAIT);
            second = TestGateways.start(Map.of("port", Integer.toString(port)));

            // the client reconnects with backoff and renews its subscription on the new node
            chatA.waitFor("document.body.dataset.joined === 'restart'", WAIT);
            chatB.waitFor("document.body.dataset.joined === 'restart'", WAIT);
            chatA.type("#name", "ann");
            chatA.type("#text", "after the restart");
            chatA.click("#submit");
            chatB.waitFor("[...document.querySelectorAll('#messages .text')].some(s => s.textContent === 'after the restart')", WAIT);

            // the new node counts from zero with lower versions: the page must show its state, not keep the old one
            vote.waitFor(counts + " === '0,0,0'", WAIT);
            vote.doubleClick(".candidate[data-id=\"2\"] .name");
            vote.waitFor(counts + " === '0,1,0'", WAIT);
            assertTrue(chatA.errors().isEmpty() && chatB.errors().isEmpty() && vote.errors().isEmpty(),
                    "page errors: " + chatA.errors() + chatB.errors() + vote.errors());
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void tailPageShowsLinesAsTheyAreWritten() {
        try (Page page = chrome.open(url("tail.html"))) {
            // With no file configured the gateway appends a demo log line every second.
            page.waitFor("[...document.querySelectorAll('#lines div')].filter(d => d.textContent.includes('served in')).length >= 2", WAIT);
            assertTrue(page.errors().isEmpty(), "page errors: " + page.errors());
        }
    }
}
