package dev.pushgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test Server-Sent Events client on the JDK HTTP client: reads the stream line by line on its own thread and
 * queues each dispatched event (its {@code id:} as the stream's last id then, and its {@code data:} as JSON),
 * following the EventSource parsing rules (comments ignored, an id-only event updates the last id).
 */
public final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched event. */
    public record Event(String lastId, JsonNode data) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile String retry;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread t = new Thread(this::read, "sse-client");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Opens {@code url} with extra headers (name, value, ...). */
    public static SseClient open(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return new SseClient(CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The {@code retry:} value the stream sent, or null. */
    public String retry() {
        return retry;
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    /** The next event; fails after 10 s. */
    public Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no SSE event within 10 s");
        }
        return e;
    }

    /** The next event within {@code millis}, or null. */
    public Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void read() {
        String lastId = null;
        StringBuilder data = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(lastId, JSON.readTree(data.toString())));
                    }
                    data = null;
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("id: ")) {
                    lastId = line.substring(4);
                } else if (line.startsWith("retry: ")) {
                    retry = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // closed by the test, or by the server
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() throws Exception {
        response.body().close();
    }
}
