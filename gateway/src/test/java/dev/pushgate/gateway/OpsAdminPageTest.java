package dev.pushgate.gateway;

import dev.pushgate.browser.Chromium;
import dev.pushgate.browser.Page;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code /admin} page in headless Chromium: live numbers from the stats topic, every value set as text. */
class OpsAdminPageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** A node id full of markup: the page must show it as text. */
    private static final String NODE = "<b>gw</b>&<i>1</i>";
    private static Chromium chrome;

    @BeforeAll
    static void launch() {
        chrome = Chromium.launch();
    }

    @AfterAll
    static void quit() {
        if (chrome != null) {
            chrome.close();
        }
    }

    @Test
    void theConnectionCountFollowsClientsInRealTime() throws Exception {
        Gateway g = TestGateways.start(Map.of("admin.enabled", "true", "stats.interval", "200ms",
                "demos.enabled", "false", "node-id", NODE));
        try (Page page = chrome.open(TestGateways.httpUrl(g) + "/admin")) {
            // The page's own WebSocket is the first connection.
            page.waitFor("document.getElementById('total-connections').textContent === '1'", WAIT);
            page.waitFor("document.getElementById('state').textContent === 'connected'", WAIT);
            try (WsClient a = WsClient.connect(TestGateways.wsUrl(g));
                 WsClient b = WsClient.connect(TestGateways.wsUrl(g))) {
                page.waitFor("document.getElementById('total-connections').textContent === '3'", WAIT);
                a.subscribe("news.x");
                page.waitFor("document.querySelector('#nodes tr td.subscriptions').textContent === '2'", WAIT);
            }
            page.waitFor("document.getElementById('total-connections').textContent === '1'", WAIT);
            assertEquals("1", page.evaluate("document.getElementById('total-nodes').textContent", String.class));
            assertEquals(NODE, page.evaluate("document.querySelector('#nodes tr td').textContent", String.class));
            assertEquals(NODE, page.evaluate("document.querySelector('#nodes tr').dataset.node", String.class));
            assertTrue(page.evaluate("document.querySelector('#nodes b, #nodes i') === null", Boolean.class),
                    "markup in a node id is shown, not rendered");
            assertTrue(page.evaluate("document.getElementById('token-form').hidden", Boolean.class));
            assertTrue(page.errors().isEmpty(), "page errors: " + page.errors());
        } finally {
            g.close();
        }
    }

    @Test
    void withTokensThePageAsksForOneAndThenGoesLive() throws Exception {
        Gateway g = TestGateways.start(Map.of("admin.enabled", "true", "stats.interval", "200ms",
                "demos.enabled", "false", "auth.hmac-secret", TestTokens.SECRET));
        try (Page page = chrome.open(TestGateways.httpUrl(g) + "/admin")) {
            page.waitFor("!document.getElementById('token-form').hidden", WAIT);
            assertTrue(page.evaluate("document.getElementById('token-reason').textContent", String.class)
                    .contains("unauthorized"));
            assertEquals("0", page.evaluate("document.getElementById('total-nodes').textContent", String.class));
            page.type("#token", TestTokens.hs256(TestTokens.claims("ops", 300L, "[\"pushgate.stats\"]", null)));
            page.click("button[type=submit]");
            page.waitFor("document.getElementById('token-form').hidden", WAIT);
            page.waitFor("document.getElementById('total-connections').textContent === '1'", WAIT);
            assertEquals("", page.evaluate("document.getElementById('token').value", String.class),
                    "the token does not stay in the form");
            assertTrue(page.errors().isEmpty(), "page errors: " + page.errors());
        } finally {
            g.close();
        }
    }
}
