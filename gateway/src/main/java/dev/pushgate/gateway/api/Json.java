package dev.pushgate.gateway.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Locale;

/** Small HTTP/JSON checks shared by the endpoints. */
final class Json {
    private Json() {
    }

    /** Whether the request declares a JSON body ({@code application/json}, any parameters). */
    static boolean isJson(HttpRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        int semi = type.indexOf(';');
        String mime = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json");
    }
}
