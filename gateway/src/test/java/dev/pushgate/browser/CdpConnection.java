package dev.pushgate.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Chrome DevTools Protocol connection to the browser target, in flattened session mode: commands for a page
 * carry its {@code sessionId}. Thread-safe: commands may be sent from any thread (sends are serialised, as the
 * JDK WebSocket requires); events are delivered on the WebSocket's listener thread, so handlers must not block.
 */
final class CdpConnection implements WebSocket.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CdpConnection.class);

    private final ObjectMapper mapper;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile WebSocket socket;

    private CdpConnection(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Connects to a DevTools WebSocket URL ({@code ws://127.0.0.1:PORT/devtools/browser/ID}). */
    static CdpConnection connect(URI url, ObjectMapper mapper, Duration timeout) {
        CdpConnection connection = new CdpConnection(mapper);
        try {
            connection.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(url, connection)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to DevTools at " + url, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to DevTools at " + url, e);
        }
        return connection;
    }

    /**
     * Sends {@code method} with {@code params} (may be null) to the browser ({@code sessionId == null}) or to an
     * attached page, and waits up to {@code timeout} for its result.
     *
     * @throws CdpException when the browser answers with an error, does not answer in time or the connection is gone
     */
    JsonNode send(String sessionId, String method, ObjectNode params, Duration timeout) {
        long id = ids.incrementAndGet();
        ObjectNode command = mapper.createObjectNode();
        command.put("id", id);
        command.put("method", method);
        command.set("params", params == null ? mapper.createObjectNode() : params);
        if (sessionId != null) {
            command.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            String text = mapper.writeValueAsString(command);
            log.trace("cdp send: {}", text);
            synchronized (sendLock) {
                if (closed.isDone()) {
                    throw new CdpException(method + ": DevTools connection is closed");
                }
                socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonNode response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode error = response.get("error");
            if (error != null) {
                throw new CdpException(method + " failed: " + error.path("message").asText()
                        + " " + error.path("data").asText(""));
            }
            return response.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException(method + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new CdpException(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CdpException(method + ": no answer within " + timeout, e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Calls {@code handler} with the {@code params} of every {@code method} event of {@code sessionId} (null: the
     * browser's own events). Returns a handle that removes the handler.
     */
    AutoCloseable on(String sessionId, String method, Consumer<JsonNode> handler) {
        Listener listener = new Listener(sessionId, method, handler);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Whether the connection is closed or broken. */
    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            dispatch(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        shutDown(new CdpException("DevTools connection closed: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        shutDown(new CdpException("DevTools connection failed: " + error, error));
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (IOException e) {
            log.warn("cdp frame is not json: length={}", text.length());
            return;
        }
        log.trace("cdp recv: {}", text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
        JsonNode id = message.get("id");
        if (id != null) {
            CompletableFuture<JsonNode> answer = pending.get(id.asLong());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        String method = message.path("method").asText();
        String sessionId = message.hasNonNull("sessionId") ? message.get("sessionId").asText() : null;
        JsonNode params = message.path("params");
        for (Listener listener : listeners) {
            if (listener.matches(sessionId, method)) {
                try {
                    listener.handler.accept(params);
                } catch (RuntimeException e) {
                    log.warn("cdp event handler failed: method={}", method, e);
                }
            }
        }
    }

    private void shutDown(CdpException cause) {
        if (closed.complete(null)) {
            log.debug("cdp connection ended: {}", cause.getMessage());
        }
        pending.values().forEach(answer -> answer.completeExceptionally(cause));
    }

    /** Closes the WebSocket (the browser keeps running). */
    @Override
    public void close() {
        WebSocket ws = socket;
        synchronized (sendLock) {
            if (ws != null && !closed.isDone()) {
                try {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    log.debug("cdp close not acknowledged: {}", e.toString());
                }
            }
        }
        if (ws != null) {
            ws.abort();
        }
        shutDown(new CdpException("DevTools connection closed by the harness"));
    }

    private record Listener(String sessionId, String method, Consumer<JsonNode> handler) {
        boolean matches(String eventSession, String eventMethod) {
            return method.equals(eventMethod)
                    && (sessionId == null ? eventSession == null : sessionId.equals(eventSession));
        }
    }
}
