package dev.pushgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test client on the JDK's own {@link java.net.http.WebSocket} (independent of Netty): every text frame is queued
 * as parsed JSON; helpers await frames with a deadline. The {@code connected} frame is consumed on open.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    /** Frames read past by {@link #next(Predicate)}; only the test thread touches it. */
    private final java.util.ArrayDeque<JsonNode> backlog = new java.util.ArrayDeque<>();
    private final WebSocket ws;
    private final JsonNode connected;

    private WsClient(String url, boolean autoPong) throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        frames.add(JSON.createObjectNode().put("op", "unparseable").put("raw", partial.toString()));
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                // The JDK answers pings itself; a client that "stops answering" simply stops reading (see below).
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
            }
        };
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(URI.create(url), listener).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        this.connected = next();
        assertEquals("connected", connected.path("op").asText(), "first frame must be connected: " + connected);
    }

    public static WsClient connect(String url) throws Exception {
        return new WsClient(url, true);
    }

    /** The {@code connected} frame the server sent first. */
    public JsonNode connected() {
        return connected;
    }

    /** Sends raw text. */
    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a binary frame. */
    public void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends {@code {"op":op,"id":N,...extra}} and returns N. {@code extra} is JSON object members, may be empty. */
    public long request(String op, String extra) {
        long id = ids.incrementAndGet();
        sendText("{\"op\":\"" + op + "\",\"id\":" + id + (extra.isEmpty() ? "" : "," + extra) + "}");
        return id;
    }

    /** Subscribes and waits for the ack. */
    public void subscribe(String topic) throws InterruptedException {
        long id = request("subscribe", "\"topic\":\"" + topic + "\"");
        JsonNode ack = awaitReply(id);
        assertEquals("ack", ack.path("op").asText(), "subscribe " + topic + ": " + ack);
    }

    /**
     * Subscribes resuming from {@code {epoch, seq}} (no {@code since} when {@code epoch} is null) and returns the ack
     * (with the topic's position and {@code recovered}).
     */
    public JsonNode subscribeSince(String topic, String epoch, long seq) throws InterruptedException {
        String since = epoch == null ? "" : ",\"since\":{\"epoch\":\"" + epoch + "\",\"seq\":" + seq + "}";
        JsonNode ack = awaitReply(request("subscribe", "\"topic\":\"" + topic + "\"" + since));
        assertEquals("ack", ack.path("op").asText(), "subscribe " + topic + ": " + ack);
        return ack;
    }

    /** Unsubscribes and waits for the ack. */
    public void unsubscribe(String topic) throws InterruptedException {
        long id = request("unsubscribe", "\"topic\":\"" + topic + "\"");
        assertEquals("ack", awaitReply(id).path("op").asText());
    }

    /** Publishes and returns the answer (ack or error). */
    public JsonNode publish(String topic, String dataJson) throws InterruptedException {
        long id = request("publish", "\"topic\":\"" + topic + "\",\"data\":" + dataJson);
        return awaitReply(id);
    }

    /** The next frame, failing after the deadline. */
    public JsonNode next() throws InterruptedException {
        if (!backlog.isEmpty()) {
            return backlog.removeFirst();
        }
        JsonNode n = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(n, "no frame within " + WAIT);
        return n;
    }

    /**
     * The next frame matching {@code p}; frames passed over stay queued, in order, for later reads. Fails after the
     * deadline.
     */
    public JsonNode next(Predicate<JsonNode> p) throws InterruptedException {
        for (var it = backlog.iterator(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (p.test(n)) {
                it.remove();
                return n;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (n == null) {
                fail("no matching frame within " + WAIT);
            }
            if (p.test(n)) {
                return n;
            }
            backlog.addLast(n);
        }
    }

    /** The answer (ack, error or pong) to request {@code id}. */
    public JsonNode awaitReply(long id) throws InterruptedException {
        return next(n -> n.path("id").asLong(-1) == id && !n.path("op").asText().equals("message"));
    }

    /** The answer to request {@code id}, waiting up to {@code wait} (for replies behind a long queue). */
    public JsonNode awaitReply(long id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            JsonNode n = poll(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            if (n == null) {
                fail("no reply to " + id + " within " + wait);
            }
            if (n.path("id").asLong(-1) == id && !n.path("op").asText().equals("message")) {
                return n;
            }
        }
    }

    /** The next {@code message} frame. */
    public JsonNode nextMessage() throws InterruptedException {
        return next(n -> n.path("op").asText().equals("message"));
    }

    /** A frame if one arrives within {@code wait}, else null (for asserting silence over a bounded window). */
    public JsonNode poll(Duration wait) throws InterruptedException {
        if (!backlog.isEmpty()) {
            return backlog.removeFirst();
        }
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close code the server sent (or -1 on an abrupt end), waiting up to the deadline. */
    public int awaitClose() throws Exception {
        return closeCode.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            ws.abort();
        }
    }
}
