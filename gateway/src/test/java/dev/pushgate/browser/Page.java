package dev.pushgate.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One browser tab, attached through a flattened DevTools session. Evaluates JavaScript, waits for conditions with
 * a deadline and dispatches real mouse and keyboard input. Uncaught page exceptions and console messages are
 * logged and kept ({@link #errors()}). Not thread-safe; use it from the test thread.
 */
public final class Page implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Page.class);
    private static final Duration POLL_PAUSE = Duration.ofMillis(50);

    private final CdpConnection cdp;
    private final ObjectMapper mapper;
    private final String targetId;
    private final String sessionId;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private boolean closed;

    Page(CdpConnection cdp, ObjectMapper mapper, String targetId, String sessionId) {
        this.cdp = cdp;
        this.mapper = mapper;
        this.targetId = targetId;
        this.sessionId = sessionId;
    }

    /** Turns on the Page and Runtime domains and starts collecting console output and uncaught exceptions. */
    void enable() {
        subscriptions.add(cdp.on(sessionId, "Runtime.consoleAPICalled", params -> {
            StringBuilder text = new StringBuilder(params.path("type").asText()).append(':');
            for (JsonNode arg : params.path("args")) {
                text.append(' ').append(arg.has("value") ? arg.get("value").asText() : arg.path("description").asText());
            }
            console.add(text.toString());
            log.debug("page console: target={} {}", targetId, text);
        }));
        subscriptions.add(cdp.on(sessionId, "Runtime.exceptionThrown", params -> {
            String text = describe(params.path("exceptionDetails"));
            errors.add(text);
            log.info("page exception: target={} {}", targetId, text);
        }));
        send("Page.enable", null);
        send("Runtime.enable", null);
    }

    /** Loads {@code url} in this tab and waits for its {@code load} event. */
    public void navigate(String url) {
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        try (AutoCloseable ignored = cdp.on(sessionId, "Page.loadEventFired", loaded::complete)) {
            JsonNode result = send("Page.navigate", mapper.createObjectNode().put("url", url));
            String error = result.path("errorText").asText("");
            if (!error.isEmpty()) {
                throw new CdpException("cannot load " + url + ": " + error);
            }
            loaded.get(Chromium.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException("interrupted while loading " + url, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CdpException(url + " did not finish loading within " + Chromium.COMMAND_TIMEOUT, e);
        } catch (CdpException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Evaluates a JavaScript expression in the page, awaits it if it is a Promise and returns its value as JSON
     * ({@link MissingNode} for {@code undefined}; DOM nodes and functions cannot be returned by value).
     *
     * @throws CdpException when the expression throws or the Promise rejects
     */
    public JsonNode evaluate(String expression) {
        ObjectNode params = mapper.createObjectNode()
                .put("expression", expression)
                .put("awaitPromise", true)
                .put("returnByValue", true)
                .put("userGesture", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new CdpException("evaluating `" + expression + "` threw: " + describe(result.get("exceptionDetails")));
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? MissingNode.getInstance() : value;
    }

    /** {@link #evaluate(String)} converted to {@code type} with Jackson (e.g. {@code String.class}, {@code Long.class}). */
    public <T> T evaluate(String expression, Class<T> type) {
        try {
            return mapper.treeToValue(evaluate(expression), type);
        } catch (JsonProcessingException e) {
            throw new CdpException("`" + expression + "` did not return a " + type.getSimpleName(), e);
        }
    }

    /**
     * Re-evaluates {@code expression} every 50 ms until it is truthy, or fails with an {@link AssertionError} at
     * the deadline. An evaluation that throws counts as not yet true.
     */
    public void waitFor(String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String probe = "(() => { try { return !!(" + expression + "); } catch (e) { return 'threw: ' + e; } })()";
        JsonNode last = MissingNode.getInstance();
        while (true) {
            last = evaluate(probe);
            if (last.isBoolean() && last.booleanValue()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for `" + expression + "` (last: "
                        + last + "); page errors: " + errors + "; console: " + tail(console, 20));
            }
            pause();
        }
    }

    /** Types {@code text} into the element matched by {@code selector}, as keyboard input would (input events fire). */
    public void type(String selector, String text) {
        evaluate("(() => { const el = " + query(selector) + "; el.focus(); el.select && el.select(); })()");
        send("Input.insertText", mapper.createObjectNode().put("text", text));
    }

    /** A real left click (press and release) at the centre of the element matched by {@code selector}. */
    public void click(String selector) {
        mouseClicks(selector, 1);
    }

    /**
     * A real double click at the centre of the element matched by {@code selector}: two press/release pairs with
     * click counts 1 and 2, so the page sees click, click and dblclick, as from a mouse.
     */
    public void doubleClick(String selector) {
        mouseClicks(selector, 2);
    }

    private void mouseClicks(String selector, int count) {
        JsonNode box = evaluate("(() => { const el = " + query(selector) + "; el.scrollIntoView({block: 'center'});"
                + " const r = el.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        double x = box.path("x").asDouble();
        double y = box.path("y").asDouble();
        mouse("mouseMoved", x, y, 0);
        for (int i = 1; i <= count; i++) {
            mouse("mousePressed", x, y, i);
            mouse("mouseReleased", x, y, i);
        }
    }

    private void mouse(String type, double x, double y, int clickCount) {
        ObjectNode params = mapper.createObjectNode().put("type", type).put("x", x).put("y", y);
        if (clickCount > 0) {
            params.put("button", "left").put("buttons", type.equals("mousePressed") ? 1 : 0).put("clickCount", clickCount);
        }
        send("Input.dispatchMouseEvent", params);
    }

    /** A PNG of the visible part of the page. Brings the tab to the front first: a background tab paints no frames. */
    public byte[] screenshot() {
        send("Page.bringToFront", null);
        JsonNode shot = send("Page.captureScreenshot", mapper.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(shot.path("data").asText());
    }

    /** Uncaught exceptions the page has thrown so far. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Console messages so far, as {@code "type: arg arg"}. */
    public List<String> console() {
        return List.copyOf(console);
    }

    /** Closes the tab. Idempotent; a browser that is already gone is not an error. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("cannot remove page listener: {}", e.toString());
            }
        }
        if (!cdp.isClosed()) {
            try {
                cdp.send(null, "Target.closeTarget", mapper.createObjectNode().put("targetId", targetId),
                        Duration.ofSeconds(5));
            } catch (CdpException e) {
                log.debug("cannot close page: target={} error={}", targetId, e.getMessage());
            }
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        if (closed) {
            throw new IllegalStateException("page is closed");
        }
        return cdp.send(sessionId, method, params, Chromium.COMMAND_TIMEOUT);
    }

    /** A JavaScript expression for the element matching {@code selector}, throwing when there is none. */
    private String query(String selector) {
        try {
            String literal = mapper.writeValueAsString(selector);
            return "(document.querySelector(" + literal + ") || (() => { throw new Error('no element matches ' + "
                    + literal + "); })())";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String describe(JsonNode details) {
        JsonNode exception = details.path("exception");
        String description = exception.path("description").asText("");
        if (description.isEmpty()) {
            description = exception.has("value") ? exception.get("value").asText() : details.path("text").asText();
        }
        return description;
    }

    private static List<String> tail(List<String> list, int n) {
        List<String> copy = List.copyOf(list);
        return copy.subList(Math.max(0, copy.size() - n), copy.size());
    }

    /** The pause between two evaluations of a {@link #waitFor} condition (polling with a deadline). */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(POLL_PAUSE.toNanos());
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CdpException("interrupted while waiting");
        }
    }
}
