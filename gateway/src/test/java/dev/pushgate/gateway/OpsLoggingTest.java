package dev.pushgate.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.logging.ConsoleEncoder;
import dev.pushgate.gateway.logging.LogSettings;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.LogCapture;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log output: JSON lines that survive hostile messages, the text/JSON switch in {@code logback.xml} and at start,
 * the access log on its own logger, and the connection id on every line about a connection.
 */
class OpsLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(LoggerContext context, String message, Throwable t, Map<String, String> mdc) {
        Logger logger = context.getLogger("dev.pushgate.test");
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, t, null);
        e.setMDCPropertyMap(mdc);
        return e;
    }

    /** The JSON encoder the console uses with {@code log.format: json}. */
    private static ConsoleEncoder jsonEncoder(LoggerContext context) {
        ConsoleEncoder encoder = new ConsoleEncoder();
        encoder.setContext(context);
        encoder.setFormat("json");
        encoder.start();
        return encoder;
    }

    private static JsonNode json(ConsoleEncoder encoder, ILoggingEvent e) throws Exception {
        String line = new String(encoder.encode(e), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\n"), line);
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), "one line per event: " + line);
        return JSON.readTree(line);
    }

    @Test
    void jsonLinesEscapeEverythingAndCarryMdcAndTheStackTrace() throws Exception {
        LoggerContext context = new LoggerContext();
        ConsoleEncoder encoder = jsonEncoder(context);
        String hostile = "quote \" backslash \\ newline \n tab \t bell \u0007 unicode ü € 🙂 </script>";
        LoggingEvent e = event(context, hostile, new IllegalStateException("boom"),
                Map.of("conn", "c-1f", "message", "clash"));
        JsonNode n = json(encoder, e);
        assertEquals(hostile, n.path("message").asText());
        assertEquals("WARN", n.path("level").asText());
        assertEquals("dev.pushgate.test", n.path("logger").asText());
        assertTrue(n.path("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), n.path("ts").asText());
        assertEquals("c-1f", n.path("conn").asText());
        assertEquals("clash", n.path("mdc.message").asText());
        assertTrue(n.path("exception").asText().startsWith("java.lang.IllegalStateException: boom"));
        assertTrue(n.path("exception").asText().contains("OpsLoggingTest"));
    }

    @Test
    void theFieldsOfALineAreJsonKeysAndAClientCannotAddAny() throws Exception {
        LoggerContext context = new LoggerContext();
        ConsoleEncoder encoder = jsonEncoder(context);
        Logger logger = context.getLogger("dev.pushgate.test");
        // A value with spaces and '=' (a close reason a client chose) stays one value and adds no field.
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "connection closed: id={} code={} reason={} address={}:{} path=/admin", null,
                new Object[] {"c-5f1e2a", 1000, "bye id=evil level=ERROR", "10.0.0.7", 51234});
        e.setMDCPropertyMap(Map.of());
        JsonNode n = json(encoder, e);
        assertEquals("connection closed: id=c-5f1e2a code=1000 reason=bye id=evil level=ERROR address=10.0.0.7:51234 "
                + "path=/admin", n.path("message").asText());
        assertEquals("c-5f1e2a", n.path("id").asText());
        assertEquals("1000", n.path("code").asText());
        assertEquals("bye id=evil level=ERROR", n.path("reason").asText());
        assertEquals("10.0.0.7:51234", n.path("address").asText());
        assertEquals("/admin", n.path("path").asText());
        assertEquals("INFO", n.path("level").asText());
        assertFalse(n.has("evil"));

        // SLF4J key-value pairs and MDC entries are fields too, and win over a message field of the same name.
        LoggingEvent kv = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "published: topic={}", null,
                new Object[] {"from-message"});
        kv.addKeyValuePair(new org.slf4j.event.KeyValuePair("topic", "news.sports"));
        kv.addKeyValuePair(new org.slf4j.event.KeyValuePair("level", "clash"));
        kv.setMDCPropertyMap(Map.of("node", "gw-1"));
        JsonNode k = json(encoder, kv);
        assertEquals("news.sports", k.path("topic").asText());
        assertEquals("clash", k.path("kv.level").asText());
        assertEquals("INFO", k.path("level").asText());
        assertEquals("gw-1", k.path("node").asText());
        List<String> names = new java.util.ArrayList<>();
        k.fieldNames().forEachRemaining(names::add);
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "no duplicate keys: " + names);
        context.stop();
    }

    @Test
    void logbackXmlPicksTheFormatFromTheEnvironmentAndStartUpCanSwitchIt() throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty("GATEWAY_LOG_FORMAT", "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(OpsLoggingTest.class.getResource("/logback.xml"));
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ConsoleEncoder encoder = (ConsoleEncoder) ((ConsoleAppender<ILoggingEvent>) root.getAppender("console")).getEncoder();
        assertEquals("json", encoder.format());
        assertTrue(JSON.readTree(encoder.encode(event(context, "hello", null, Map.of()))).has("ts"));
        assertFalse(context.getLogger(LogSettings.ACCESS_LOGGER).isDebugEnabled(), "access log off by default");
        assertEquals(Level.INFO, root.getLevel());

        LogSettings.apply(context, new GatewayConfig.Log(GatewayConfig.LogFormat.TEXT, "WARN", true));
        assertEquals("text", encoder.format());
        String text = new String(encoder.encode(event(context, "hello", null, Map.of())), StandardCharsets.UTF_8);
        assertTrue(text.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[.*] .* - hello\\R"), text);
        assertEquals(Level.WARN, root.getLevel());
        assertTrue(context.getLogger(LogSettings.ACCESS_LOGGER).isDebugEnabled(), "log.access turns it on alone");
        assertFalse(context.getLogger("dev.pushgate.gateway.Gateway").isDebugEnabled());
        context.stop();
    }

    @Test
    void theAccessLogAndConnectionLinesNameTheirRequestAndConnection() throws Exception {
        // Only into the capture, not the test console.
        try (LogCapture seen = LogCapture.of(Level.DEBUG, true, LogSettings.ACCESS_LOGGER,
                "dev.pushgate.gateway.transport.WebSocketSessionHandler")) {
            Gateway g = TestGateways.start(Map.of("demos.enabled", "false"));
            try {
                assertEquals(200, Http.get(TestGateways.httpUrl(g) + "/healthz?probe=1").statusCode());
                String id;
                try (WsClient c = WsClient.connect(TestGateways.wsUrl(g))) {
                    id = c.connected().path("client").asText();
                }
                Await.until(Duration.ofSeconds(10),
                        () -> seen.messages().stream().anyMatch(l -> l.startsWith("connection closed")),
                        () -> "no close line in " + seen.messages());
                List<String> all = seen.messages();
                assertTrue(all.stream().anyMatch(l -> l.startsWith("http request: method=GET path=/healthz status=200 bytes=15")),
                        all.toString());
                assertTrue(all.stream().noneMatch(l -> l.contains("probe=1")), "no query strings (tokens) in the log");
                List<String> connection = all.stream().filter(l -> l.startsWith("connection")).toList();
                assertEquals(2, connection.size(), all.toString());
                for (String l : connection) {
                    assertTrue(l.contains("id=" + id), l);
                }
                // The same real events as JSON lines: id, code, remote, method, path and status are keys to filter on.
                ConsoleEncoder encoder = jsonEncoder(new LoggerContext());
                Map<String, JsonNode> byMessage = new java.util.HashMap<>();
                for (ILoggingEvent e : seen.events()) {
                    JsonNode n = json(encoder, e);
                    byMessage.putIfAbsent(e.getMessage().substring(0, e.getMessage().indexOf(':')), n);
                }
                JsonNode opened = byMessage.get("connection opened");
                assertEquals(id, opened.path("id").asText(), opened.toString());
                assertTrue(opened.path("remote").asText().contains("127.0.0.1"), opened.toString());
                JsonNode closed = byMessage.get("connection closed");
                assertEquals(id, closed.path("id").asText(), closed.toString());
                assertFalse(closed.path("code").asText().isEmpty(), closed.toString());
                JsonNode request = byMessage.get("http request");
                assertEquals("GET", request.path("method").asText(), request.toString());
                assertEquals("/healthz", request.path("path").asText(), request.toString());
                assertEquals("200", request.path("status").asText(), request.toString());
            } finally {
                g.close();
            }
        }
    }
}
