package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that goes away while its poll is held gives back its poll slot at once (per IP and in total), not at
 * the end of {@code poll.timeout}: the next poll from the same address is not refused 429.
 */
class PollDisconnectTest {
    private static final String GAUGE = "pushgate_connections{transport=\"poll\"}";
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Every socket transport: NIO does not watch a connection it is not reading (auto-read is off while held). */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "auto"})
    void aClientThatClosesDuringAHeldPollFreesItsSlotPromptly(String transport) throws Exception {
        cutWhileHeld(transport, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "auto"})
    void aClientWhoseConnectionIsResetDuringAHeldPollFreesItsSlotPromptly(String transport) throws Exception {
        cutWhileHeld(transport, true);
    }

    private void cutWhileHeld(String transport, boolean reset) throws Exception {
        gateway = TestGateways.start(Map.of("transport", transport, "poll.timeout", "60s",
                "poll.max-polls-per-ip", "1"));
        String topic = "chat.poll-cut-" + reset;
        String since = SseAndPollTest.poll(gateway, topic, null).path("since").asText();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /poll?topic=" + topic + "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Await.until(Duration.ofSeconds(5), () -> metric(GAUGE) == 1, () -> "the poll is held");
            assertEquals(429, Http.get(pollUrl(topic)).statusCode(), "one poll per address while it is held");
            if (reset) {
                raw.setSoLinger(true, 0);
            }
        }
        Await.until(Duration.ofSeconds(5), () -> metric(GAUGE) == 0,
                () -> "the slot is freed when the client goes away, not after poll.timeout: " + metric(GAUGE));
        assertEquals(200, Http.get(pollUrl(topic)).statusCode(), "the address may poll again");
    }

    private String pollUrl(String topic) {
        return TestGateways.httpUrl(gateway) + "/poll?topic=" + topic;
    }

    private double metric(String series) {
        try {
            for (String line : Http.get(TestGateways.httpUrl(gateway) + "/metrics").body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
