package dev.pushgate.gateway.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * {@code GET /admin}: the live admin page ({@code web/admin.html}), registered only with {@code admin.enabled}. The
 * page holds no data itself: it subscribes over the WebSocket to the stats topic, which the session rules open only
 * with {@code admin.enabled} (and, with token keys configured, only to a token that allows it).
 */
public final class AdminPage implements HttpEndpoint {
    /** The page's file in {@code web/}; {@link StaticFiles} never serves it under its own name. */
    static final String FILE = "admin.html";

    private final byte[] page;

    public AdminPage() {
        try (InputStream in = AdminPage.class.getResourceAsStream("/web/" + FILE)) {
            if (in == null) {
                throw new IllegalStateException("web/" + FILE + " is missing from the classpath");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public String route() {
        return "admin";
    }

    @Override
    public void handle(HttpExchange ex) {
        ex.respond(HttpResponseStatus.OK, "text/html; charset=utf-8", Unpooled.wrappedBuffer(page));
    }
}
