package dev.pushgate.gateway.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the demo pages, {@code /client.js} and {@code /client.d.ts} from the jar's {@code web/} folder. Only plain file names are
 * looked up (no paths, no dots at the start), so nothing outside that folder is reachable. The admin page is not
 * served here: only by {@link AdminPage} at {@code /admin}, when enabled.
 */
public final class StaticFiles implements HttpEndpoint {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "json", "application/json",
            "ts", "text/plain; charset=utf-8");
    /** Served even with the demos off: the browser client library ... */
    private static final String CLIENT = "client.js";
    /** ... and its TypeScript declarations. */
    private static final String CLIENT_TYPES = "client.d.ts";
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final boolean demos;

    /** With {@code demos} off, only {@code /client.js} is served. */
    public StaticFiles(boolean demos) {
        this.demos = demos;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public String route() {
        return "static";
    }

    /** Whether {@code path} names a file this endpoint serves. */
    public boolean serves(String path) {
        return load(fileName(path)) != null;
    }

    @Override
    public void handle(HttpExchange ex) {
        String name = fileName(ex.query().path());
        byte[] body = load(name);
        if (body == null) {
            ex.error(HttpResponseStatus.NOT_FOUND, dev.pushgate.protocol.ErrorCode.NOT_FOUND, "no such resource");
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ex.respond(HttpResponseStatus.OK, TYPES.getOrDefault(ext, "application/octet-stream"),
                Unpooled.wrappedBuffer(body));
    }

    private static String fileName(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")
                || name.indexOf('.') < 0) {
            return null;
        }
        return name;
    }

    private byte[] load(String name) {
        boolean client = CLIENT.equals(name) || CLIENT_TYPES.equals(name);
        if (name == null || (!demos && !client) || name.equals(AdminPage.FILE)) {
            return null;
        }
        byte[] cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] body = in.readAllBytes();
            cache.put(name, body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
