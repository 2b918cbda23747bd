package dev.pushgate.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tests of {@code web/client.js} in a real browser, with the WebSocket replaced by a scripted fake
 * ({@code FakeSocket}) so each server frame and close code is under the test's control.
 */
class ClientJsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A page that loads client.js and a fake WebSocket the test drives through {@code sock()}. */
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>client.js</title></head><body>
            <script src="/client.js"></script>
            <script>
              class FakeSocket {
                constructor(url) {
                  this.url = url; this.readyState = 0; this.bufferedAmount = 0; this.sent = []; this.closedWith = null;
                  FakeSocket.all.push(this);
                }
                send(text) { this.sent.push(JSON.parse(text)); }
                close(code, reason) { this.readyState = 3; this.closedWith = {code: code, reason: reason}; }
                // test side
                accept(hello) {
                  this.readyState = 1;
                  this.receive(Object.assign({op: 'connected', client: 'c-1', node: 'n-1', version: 1}, hello || {}));
                }
                receive(frame) { this.onmessage({data: JSON.stringify(frame)}); }
                serverClose(code) { this.readyState = 3; this.onclose({code: code, reason: 'test', wasClean: true}); }
                lastSent(op) { return this.sent.filter(f => f.op === op).pop(); }
              }
              FakeSocket.all = [];
              class FakeEventSource {
                constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; FakeEventSource.all.push(this); }
                addEventListener(name, fn) { this.listeners[name] = fn; }
                close() { this.readyState = 2; }
                // test side
                open() { this.readyState = 1; this.onopen({}); }
                emit(frame, id) { this.onmessage({type: 'message', data: JSON.stringify(frame), lastEventId: id || ''}); }
                fail() { this.readyState = 0; this.onerror({}); }
                param(name) { return new URL(this.url).searchParams.getAll(name); }
              }
              FakeEventSource.all = [];
              window.es = () => FakeEventSource.all[FakeEventSource.all.length - 1];
              window.FakeEventSource = FakeEventSource;
              // fetch: answers from window.httpAnswers(url, init) -> {status, body} or a rejected Promise
              window.requests = [];
              window.fakeFetch = (url, init) => {
                requests.push({url: url, method: (init && init.method) || 'GET', mode: init && init.mode,
                               body: init && init.body, headers: init && init.headers});
                return Promise.resolve(window.httpAnswers(url, init || {})).then(a => a === null
                    ? Promise.reject(new TypeError('Failed to fetch'))
                    : {ok: a.status >= 200 && a.status < 300, status: a.status,
                       json: () => Promise.resolve(a.body), text: () => Promise.resolve(JSON.stringify(a.body))});
              };
              window.httpAnswers = () => ({status: 426, body: {}});
              window.sock = () => FakeSocket.all[FakeSocket.all.length - 1];
              window.events = [];
              window.received = [];
              window.outcomes = {};
              window.track = (name, promise) => promise.then(
                  v => { outcomes[name] = {ok: true, value: v === undefined ? null : v}; },
                  e => { outcomes[name] = {ok: false, code: e.code, message: e.message, isError: e instanceof Error}; });
              window.makeClient = (options) => {
                const client = new Pushgate.Client(Object.assign(
                    {url: 'ws://fake.invalid/ws', WebSocket: FakeSocket, backoffBase: 10, backoffCap: 40}, options || {}));
                ['connecting', 'connected', 'disconnected', 'subscribed', 'error', 'recovered', 'gap', 'join', 'leave',
                 'expiring', 'skipped'].forEach(name =>
                    client.on(name, e => events.push(Object.assign({event: name}, e && typeof e === 'object'
                        ? {code: e.code, reconnect: e.reconnect, willReconnect: e.willReconnect, topic: e.topic,
                           resubscribed: e.resubscribed, recovered: e.recovered, epoch: e.epoch, seq: e.seq,
                           transport: e.transport, member: e.member, in: e.in, topics: e.topics} : {}))));
                return client;
              };
            </script>
            </body></html>
            """;

    private static HttpServer server;
    private static String url;
    private static Chromium chrome;
    private Page page;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            String type;
            if (exchange.getRequestURI().getPath().equals("/client.js")) {
                try (InputStream in = ClientJsTest.class.getResourceAsStream("/web/client.js")) {
                    assertNotNull(in, "web/client.js is on the classpath");
                    body = in.readAllBytes();
                }
                type = "text/javascript; charset=utf-8";
            } else {
                body = PAGE.getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=utf-8";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        chrome = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void openPage() {
        page = chrome.open(url);
    }

    @AfterEach
    void closePage() {
        assertTrue(page.errors().isEmpty(), "uncaught page errors: " + page.errors());
        page.close();
    }

    @Test
    void defaultUrlIsSameHostWs() {
        assertEquals("ws://127.0.0.1:" + server.getAddress().getPort() + "/ws",
                page.evaluate("new Pushgate.Client().url", String.class));
        assertEquals("ws://other:1/x", page.evaluate("new Pushgate.Client({url: 'ws://other:1/x'}).url", String.class));
    }

    @Test
    void subscribeIsAcknowledgedAndMessagesCarrySeq() {
        page.evaluate("""
                window.client = makeClient();
                track('sub', client.subscribe('chat.lobby', (data, meta) => received.push({data, meta})));
                client.connect();
                sock().accept();
                """);
        JsonNode subscribe = page.evaluate("sock().lastSent('subscribe')");
        assertEquals("chat.lobby", subscribe.path("topic").asText());
        assertTrue(subscribe.path("id").isNumber());
        page.evaluate("sock().receive({op: 'ack', id: sock().lastSent('subscribe').id, topic: 'chat.lobby'})");
        page.waitFor("outcomes.sub && outcomes.sub.ok", WAIT);
        page.evaluate("""
                sock().receive({op: 'message', topic: 'chat.lobby', seq: 5, data: {text: 'a'}});
                sock().receive({op: 'message', topic: 'other', seq: 9, data: {text: 'not subscribed'}});
                sock().receive({op: 'message', topic: 'chat.lobby', seq: 6, data: {text: 'b'}});
                """);
        JsonNode got = page.evaluate("received");
        assertEquals(2, got.size());
        assertEquals("a", got.get(0).path("data").path("text").asText());
        assertEquals(5, got.get(0).path("meta").path("seq").asInt());
        assertTrue(got.get(0).path("meta").path("prevSeq").isNull());
        assertEquals(5, got.get(1).path("meta").path("prevSeq").asInt());
        assertEquals(6L, page.evaluate("client.lastSeq('chat.lobby')", Long.class));
        assertEquals("connected", page.evaluate("client.state", String.class));
    }

    @Test
    void publishResolvesWithTheAckAndRejectsWithTheServerErrorCode() {
        page.evaluate("""
                window.client = makeClient();
                client.connect();
                sock().accept();
                track('ok', client.publish('chat.lobby', {text: 'hi'}));
                sock().receive({op: 'ack', id: sock().lastSent('publish').id, seq: 17});
                track('denied', client.publish('secret.x', 1));
                sock().receive({op: 'error', id: sock().lastSent('publish').id, code: 'forbidden', message: 'no'});
                """);
        page.waitFor("outcomes.ok && outcomes.denied", WAIT);
        assertEquals(17, page.evaluate("outcomes.ok.value.seq").asInt());
        JsonNode denied = page.evaluate("outcomes.denied");
        assertEquals("forbidden", denied.path("code").asText());
        assertTrue(denied.path("isError").asBoolean());
        assertEquals("{\"text\":\"hi\"}", page.evaluate("JSON.stringify(sock().sent[0].data)", String.class));
    }

    @Test
    void publishIsRefusedWhileDisconnectedOrWhileTheSocketIsBackedUp() {
        page.evaluate("""
                window.client = makeClient({maxBufferedAmount: 1000});
                track('early', client.publish('t', 1));
                client.connect();
                sock().accept();
                sock().bufferedAmount = 5000;
                track('full', client.publish('t', 2));
                """);
        page.waitFor("outcomes.early && outcomes.full", WAIT);
        assertEquals("disconnected", page.evaluate("outcomes.early.code", String.class));
        assertEquals("backpressure", page.evaluate("outcomes.full.code", String.class));
        assertEquals(5000L, page.evaluate("client.bufferedAmount", Long.class));
        assertEquals(0L, page.evaluate("sock().sent.filter(f => f.op === 'publish').length", Long.class));
    }

    @Test
    void reconnectsAfterGoingAwayAndResubscribesEveryTopic() {
        page.evaluate("""
                window.client = makeClient();
                client.subscribe('a', () => {});
                client.subscribe('b', () => {});
                client.connect();
                sock().accept();
                sock().sent.filter(f => f.op === 'subscribe').forEach(f => sock().receive({op: 'ack', id: f.id}));
                track('inflight', client.publish('a', 1));
                window.first = sock();
                sock().serverClose(1001);
                """);
        page.waitFor("outcomes.inflight", WAIT);
        assertEquals("disconnected", page.evaluate("outcomes.inflight.code", String.class));
        JsonNode disconnected = page.evaluate("events.find(e => e.event === 'disconnected')");
        assertEquals(1001, disconnected.path("code").asInt());
        assertTrue(disconnected.path("reconnect").asBoolean());
        page.waitFor("sock() !== first", WAIT);
        page.evaluate("sock().accept()");
        assertEquals("[\"a\",\"b\"]", page.evaluate(
                "JSON.stringify(sock().sent.filter(f => f.op === 'subscribe').map(f => f.topic).sort())", String.class));
        page.evaluate("sock().sent.filter(f => f.op === 'subscribe').forEach(f => sock().receive({op: 'ack', id: f.id}))");
        page.waitFor("events.filter(e => e.event === 'subscribed' && e.resubscribed).length === 2", WAIT);
        assertEquals("connected", page.evaluate("client.state", String.class));
    }

    @Test
    void resubscribesFromItsPositionAndTellsThePageWhetherItRecovered() {
        page.evaluate("""
                window.client = makeClient();
                client.subscribe('chat.a', (data, meta) => received.push(meta.seq));
                client.connect();
                sock().accept();
                sock().receive({op: 'ack', id: sock().lastSent('subscribe').id, topic: 'chat.a', epoch: 'E', seq: 3});
                sock().receive({op: 'message', topic: 'chat.a', seq: 4, data: 4});
                window.first = sock();
                sock().serverClose(1001);
                """);
        page.waitFor("sock() !== first", WAIT);
        page.evaluate("sock().accept()");
        JsonNode since = page.evaluate("sock().lastSent('subscribe').since");
        assertEquals("E", since.path("epoch").asText());
        assertEquals(4, since.path("seq").asLong());
        page.evaluate("""
                sock().receive({op: 'ack', id: sock().lastSent('subscribe').id, topic: 'chat.a', epoch: 'E', seq: 6,
                                recovered: true});
                [4, 5, 6, 7].forEach(n => sock().receive({op: 'message', topic: 'chat.a', seq: n, data: n}));
                """);
        page.waitFor("events.some(e => e.event === 'recovered')", WAIT);
        assertEquals(true, page.evaluate("events.find(e => e.event === 'recovered').recovered", Boolean.class));
        assertEquals("[4,5,6,7]", page.evaluate("JSON.stringify(received)", String.class), "4 only once");
        page.evaluate("""
                sock().receive({op: 'gap', topic: 'chat.a', epoch: 'E2', seq: 0});
                sock().receive({op: 'message', topic: 'chat.a', seq: 1, data: 1});
                window.second = sock();
                sock().serverClose(1001);
                """);
        assertEquals("E2", page.evaluate("events.find(e => e.event === 'gap').epoch", String.class));
        page.waitFor("sock() !== second", WAIT);
        page.evaluate("sock().accept()");
        assertEquals("{\"epoch\":\"E2\",\"seq\":1}",
                page.evaluate("JSON.stringify(sock().lastSent('subscribe').since)", String.class));
        page.evaluate("sock().receive({op: 'ack', id: sock().lastSent('subscribe').id, topic: 'chat.a', "
                + "epoch: 'E3', seq: 9, recovered: false})");
        page.waitFor("events.filter(e => e.event === 'recovered').length === 2", WAIT);
        assertEquals(false, page.evaluate("events.filter(e => e.event === 'recovered')[1].recovered", Boolean.class));
        assertEquals("{\"epoch\":\"E3\",\"seq\":9}", page.evaluate("JSON.stringify(client.position('chat.a'))",
                String.class), "not recovered: continue from the server's position");
    }

    @Test
    void terminalCloseCodeStopsReconnecting() {
        page.evaluate("""
                window.client = makeClient();
                track('sub', client.subscribe('a', () => {}));
                client.connect();
                sock().accept();
                sock().serverClose(4500);
                """);
        JsonNode disconnected = page.evaluate("events.find(e => e.event === 'disconnected')");
        assertEquals(4500, disconnected.path("code").asInt());
        assertTrue(!disconnected.path("reconnect").asBoolean());
        assertEquals("closed", page.evaluate("client.state", String.class));
        page.waitFor("outcomes.sub", WAIT);
        assertEquals("closed", page.evaluate("outcomes.sub.code", String.class));
        assertEquals(1L, page.evaluate("events.filter(e => e.event === 'connecting').length", Long.class));
    }

    @Test
    void aGatewayThatComesBackBetweenTheProbesIsNotTakenForARefusal() {
        // Restart on the same port: the CORS probe finds it down, the no-cors one up. A second CORS probe reads 426.
        page.evaluate("""
                window.answers = [null, {status: 0, body: {}}, {status: 426, body: {}}];
                window.httpAnswers = () => answers.length ? answers.shift() : {status: 426, body: {}};
                window.client = makeClient({transport: 'websocket', fetch: fakeFetch});
                client.subscribe('a', () => {});
                client.connect();
                window.first = sock();
                sock().serverClose(1006);
                """);
        page.waitFor("sock() !== first", WAIT);
        assertEquals("cors,no-cors,cors", page.evaluate("requests.map(r => r.mode).join()", String.class));
        assertEquals(0L, page.evaluate("events.filter(e => e.event === 'error').length", Long.class), "not refused");
        page.evaluate("sock().accept(); null");
        assertEquals("connected", page.evaluate("client.state", String.class));
    }

    @Test
    void aCorsRefusalOfAnAnsweringGatewayIsTerminal() {
        page.evaluate("""
                window.httpAnswers = (url, init) => init.mode === 'no-cors' ? {status: 0, body: {}} : null;
                window.client = makeClient({transport: 'websocket', fetch: fakeFetch});
                track('sub', client.subscribe('a', () => {}));
                client.connect();
                sock().serverClose(1006);
                """);
        page.waitFor("client.state === 'closed'", WAIT);
        assertEquals("cors,no-cors,cors", page.evaluate("requests.map(r => r.mode).join()", String.class));
        assertEquals("forbidden", page.evaluate("events.find(e => e.event === 'error').code", String.class));
        assertEquals(1L, page.evaluate("events.filter(e => e.event === 'connecting').length", Long.class));
        page.waitFor("outcomes.sub", WAIT);
        assertEquals("closed", page.evaluate("outcomes.sub.code", String.class));
    }

    @Test
    void ownCloseSendsNormalClosureAndDoesNotReconnect() {
        page.evaluate("""
                window.client = makeClient();
                client.connect();
                sock().accept();
                client.close();
                """);
        assertEquals(1000, page.evaluate("sock().closedWith.code").asInt());
        JsonNode disconnected = page.evaluate("events.find(e => e.event === 'disconnected')");
        assertEquals(1000, disconnected.path("code").asInt());
        assertTrue(!disconnected.path("reconnect").asBoolean());
        assertEquals("closed", page.evaluate("client.state", String.class));
    }

    @Test
    void pingsAndReconnectsWhenNothingArrives() {
        page.evaluate("""
                window.client = makeClient({pingInterval: 100, pongTimeout: 500});
                client.connect();
                sock().accept();
                window.first = sock();
                """);
        page.waitFor("first.sent.some(f => f.op === 'ping' && typeof f.id === 'number')", WAIT);
        page.waitFor("events.some(e => e.event === 'disconnected' && e.code === 4000 && e.reconnect)", WAIT);
        page.waitFor("sock() !== first", WAIT);
        assertEquals(1000, page.evaluate("first.closedWith.code").asInt());
    }

    @Test
    void serverAnnouncedPingIntervalSetsTheKeepAlive() {
        page.evaluate("""
                window.client = makeClient();
                client.connect();
                sock().accept({ping: 30});
                """);
        assertEquals(25000L, page.evaluate("client._pingEvery", Long.class));
        assertEquals(35000L, page.evaluate("client._deadAfter", Long.class));
    }

    @Test
    void backoffIsFullJitterUnderAnExponentialCeiling() {
        JsonNode bad = page.evaluate("""
                (() => {
                  const bad = [];
                  for (let attempt = 0; attempt < 12; attempt++) {
                    const ceiling = Math.min(20000, 500 * Math.pow(2, attempt));
                    for (let i = 0; i < 500; i++) {
                      const d = Pushgate.backoffDelay(attempt, 500, 20000);
                      if (!(d >= 0 && d < ceiling)) bad.push([attempt, d]);
                    }
                  }
                  return bad;
                })()
                """);
        assertEquals(0, bad.size(), bad.toString());
        assertTrue(page.evaluate("Pushgate.isTerminalCloseCode(4500) && Pushgate.isTerminalCloseCode(4999)"
                + " && !Pushgate.isTerminalCloseCode(4499) && !Pushgate.isTerminalCloseCode(1001)", Boolean.class));
    }

    @Test
    void stateEventsNameTheTransportAndWhetherItWillReconnect() {
        page.evaluate("""
                window.client = makeClient();
                client.connect();
                sock().accept();
                sock().serverClose(1001);
                """);
        JsonNode connecting = page.evaluate("events.find(e => e.event === 'connecting')");
        assertEquals("websocket", connecting.path("transport").asText());
        assertEquals("websocket", page.evaluate("events.find(e => e.event === 'connected').transport", String.class));
        JsonNode disconnected = page.evaluate("events.find(e => e.event === 'disconnected')");
        assertEquals(1001, disconnected.path("code").asInt());
        assertTrue(disconnected.path("willReconnect").asBoolean());
        assertEquals("websocket", page.evaluate("client.transport", String.class));
    }

    @Test
    void presenceSkippedAndExpiringReachThePage() {
        page.evaluate("""
                window.client = makeClient();
                client.subscribe('room.1', () => {});
                client.connect();
                sock().accept();
                sock().receive({op: 'ack', id: sock().lastSent('subscribe').id, topic: 'room.1'});
                sock().receive({op: 'join', topic: 'room.1', member: {client: 'c-2', node: 'n-1', user: 'ann'}});
                sock().receive({op: 'leave', topic: 'room.1', member: {client: 'c-2', node: 'n-1', user: 'ann'}});
                sock().receive({op: 'join', topic: 'not.mine', member: {client: 'c-3'}});
                sock().receive({op: 'skipped', topics: {'room.1': 7}});
                sock().receive({op: 'expiring', in: 30});
                """);
        assertEquals("ann", page.evaluate("events.find(e => e.event === 'join').member.user", String.class));
        assertEquals(1L, page.evaluate("events.filter(e => e.event === 'join').length", Long.class), "only own topics");
        assertEquals("c-2", page.evaluate("events.find(e => e.event === 'leave').member.client", String.class));
        assertEquals(7, page.evaluate("events.find(e => e.event === 'skipped').topics['room.1']").asInt());
        assertEquals(30, page.evaluate("events.find(e => e.event === 'expiring').in").asInt());
    }

    @Test
    void getTokenIsUsedOnConnectAndToRefreshAndAnExpiredTokenReconnectsWithANewOne() {
        page.evaluate("""
                window.tokens = 0;
                window.client = makeClient({getToken: () => Promise.resolve('t' + (++tokens))});
                client.connect();
                """);
        page.waitFor("sock() && sock().url.endsWith('?token=t1')", WAIT);
        page.evaluate("sock().accept(); sock().receive({op: 'expiring', in: 30});");
        page.waitFor("sock().lastSent('refresh')", WAIT);
        assertEquals("t2", page.evaluate("sock().lastSent('refresh').token", String.class));
        page.evaluate("window.first = sock(); sock().serverClose(4501);");
        page.waitFor("sock() !== first && sock().url.endsWith('?token=t3')", WAIT);
        assertTrue(page.evaluate("events.find(e => e.event === 'disconnected').willReconnect", Boolean.class),
                "4501 with getToken: reconnect with a new token");
    }

    @Test
    void aStaticTokenGoesOnTheUrlAndItsExpiryIsTerminal() {
        page.evaluate("""
                window.client = makeClient({token: 'abc'});
                client.connect();
                sock().accept();
                sock().serverClose(4501);
                """);
        assertEquals("ws://fake.invalid/ws?token=abc", page.evaluate("sock().url", String.class));
        assertEquals("closed", page.evaluate("client.state", String.class));
        assertEquals(false, page.evaluate("events.find(e => e.event === 'disconnected').willReconnect", Boolean.class));
    }

    @Test
    void protocolAndPolicyCloseCodesAreTerminal() {
        for (int code : new int[] {1002, 1003, 1007, 1008, 1009, 4500, 4999}) {
            assertTrue(page.evaluate("Pushgate.isTerminalCloseCode(" + code + ")", Boolean.class), "terminal: " + code);
        }
        for (int code : new int[] {1000, 1001, 1006, 1011, 4000, 4001, 4002, 4499}) {
            assertTrue(!page.evaluate("Pushgate.isTerminalCloseCode(" + code + ")", Boolean.class), "reconnects: " + code);
        }
        page.evaluate("""
                window.client = makeClient();
                client.connect();
                sock().accept();
                sock().serverClose(1008);
                """);
        assertEquals("closed", page.evaluate("client.state", String.class));
    }

    @Test
    void webSocketNotGettingThroughFallsBackToSseWhichResumesFromTheLastEventId() {
        page.evaluate("""
                window.client = makeClient({EventSource: FakeEventSource, fetch: fakeFetch});
                client.subscribe('chat.a', (data, meta) => received.push(data));
                client.connect();
                sock().serverClose(1006);   // fails before the handshake; the gateway answers HTTP (426)
                """);
        page.waitFor("window.es && es()", WAIT);
        assertEquals("http://fake.invalid/sse?topic=chat.a", page.evaluate("es().url", String.class));
        assertEquals("http://fake.invalid/ws", page.evaluate("requests[0].url", String.class), "asked over HTTP why");
        page.evaluate("""
                es().open();
                es().emit({op: 'ack', topic: 'chat.a', epoch: 'E', seq: 3}, 'T3');
                es().emit({op: 'message', topic: 'chat.a', seq: 4, data: 4}, 'T4');
                window.first = es();
                es().fail();
                """);
        assertEquals("sse", page.evaluate("events.find(e => e.event === 'connected').transport", String.class));
        page.waitFor("es() !== first", WAIT);
        assertEquals("[\"T4\"]", page.evaluate("JSON.stringify(es().param('lastEventId'))", String.class));
        page.evaluate("""
                es().open();
                es().emit({op: 'ack', topic: 'chat.a', epoch: 'E', seq: 5, recovered: true}, 'T5');
                es().emit({op: 'message', topic: 'chat.a', seq: 4, data: 4}, 'T4');
                es().emit({op: 'message', topic: 'chat.a', seq: 5, data: 5}, 'T5');
                """);
        assertEquals(true, page.evaluate("events.find(e => e.event === 'recovered').recovered", Boolean.class));
        assertEquals("[4,5]", page.evaluate("JSON.stringify(received)", String.class), "4 only once");
        page.evaluate("""
                window.httpAnswers = (url, init) => ({status: 200, body: {topic: 'chat.a', seq: 6, epoch: 'E'}});
                track('pub', client.publish('chat.a', {text: 'hi'}));
                """);
        page.waitFor("outcomes.pub", WAIT);
        assertEquals(6, page.evaluate("outcomes.pub.value.seq").asInt());
        JsonNode post = page.evaluate("requests[requests.length - 1]");
        assertEquals("http://fake.invalid/api/client/publish", post.path("url").asText());
        assertEquals("POST", post.path("method").asText());
        assertEquals("{\"topic\":\"chat.a\",\"data\":{\"text\":\"hi\"}}", post.path("body").asText());
    }

    @Test
    void longPollResumesWithSinceAndAGapMeansNotRecovered() {
        page.evaluate("""
                window.polls = [];
                window.httpAnswers = (url) => new Promise(resolve => polls.push({url: url, resolve: resolve}));
                window.client = makeClient({transport: 'poll', fetch: fakeFetch});
                client.subscribe('chat.a', (data, meta) => received.push(data));
                client.subscribe('chat.b', (data, meta) => received.push(data));
                client.connect();
                null;
                """);
        page.waitFor("polls.length === 1", WAIT);
        assertEquals("http://fake.invalid/poll?topic=chat.a&topic=chat.b", page.evaluate("polls[0].url", String.class));
        page.evaluate("polls[0].resolve({status: 200, body: {messages: [], since: 'S0'}})");
        page.waitFor("polls.length === 2", WAIT);
        assertEquals("connected", page.evaluate("client.state", String.class));
        assertTrue(page.evaluate("polls[1].url", String.class).endsWith("&since=S0"));
        page.evaluate("""
                polls[1].resolve({status: 200, body: {since: 'S2', messages: [
                    {op: 'message', topic: 'chat.a', seq: 1, data: 'a1'}, {op: 'message', topic: 'chat.b', seq: 1, data: 'b1'}]}});
                """);
        page.waitFor("polls.length === 3", WAIT);
        page.evaluate("polls[2].resolve(null)"); // the network drops the poll
        page.waitFor("polls.length === 4", WAIT);
        assertTrue(page.evaluate("polls[3].url", String.class).endsWith("&since=S2"), "resumes from its token");
        page.evaluate("""
                polls[3].resolve({status: 200, body: {since: 'S3', messages: [
                    {op: 'gap', topic: 'chat.b', epoch: 'F', seq: 9}, {op: 'message', topic: 'chat.a', seq: 2, data: 'a2'}]}});
                """);
        page.waitFor("events.filter(e => e.event === 'recovered').length === 2", WAIT);
        assertEquals("{\"chat.a\":true,\"chat.b\":false}", page.evaluate("JSON.stringify(Object.fromEntries("
                + "events.filter(e => e.event === 'recovered').map(e => [e.topic, e.recovered])))", String.class));
        assertEquals("[\"a1\",\"b1\",\"a2\"]", page.evaluate("JSON.stringify(received)", String.class));
        assertEquals("F", page.evaluate("events.find(e => e.event === 'gap').epoch", String.class));
    }

    @Test
    void theHttpTransportsHoldNoRequestWithoutTopicsAndOpenOneOnSubscribe() {
        page.evaluate("""
                window.client = makeClient({transport: 'sse', EventSource: FakeEventSource, fetch: fakeFetch});
                client.connect();
                null;
                """);
        assertEquals("connected", page.evaluate("client.state", String.class));
        assertEquals(0L, page.evaluate("FakeEventSource.all.length", Long.class));
        page.evaluate("track('sub', client.subscribe('chat.a', () => {})); null");
        page.waitFor("FakeEventSource.all.length === 1", WAIT);
        page.evaluate("es().open(); es().emit({op: 'ack', topic: 'chat.a', epoch: 'E', seq: 0}, 'T0')");
        page.waitFor("outcomes.sub && outcomes.sub.ok", WAIT);
        page.evaluate("client.subscribe('chat.b', () => {}); null");
        page.waitFor("FakeEventSource.all.length === 2", WAIT);
        assertEquals("[\"chat.a\",\"chat.b\"]", page.evaluate("JSON.stringify(es().param('topic'))", String.class));
        assertEquals("[\"T0\"]", page.evaluate("JSON.stringify(es().param('lastEventId'))", String.class),
                "a new topic set resumes the others");
        assertEquals(2L, page.evaluate("FakeEventSource.all[0].readyState", Long.class), "the old stream is closed");
    }
}
