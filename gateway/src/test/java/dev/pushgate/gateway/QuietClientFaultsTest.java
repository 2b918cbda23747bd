package dev.pushgate.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing a client does may put a stack trace (or any WARN) in the log: aborted uploads, resets during the handshake
 * or mid-frame, compression bombs, garbage instead of HTTP. Each behaviour runs from its own loopback address on a node
 * that allows one connection per IP, so "a second connection from that address is served" proves the node has
 * finished with the first (its exceptions, if any, were logged by then).
 */
class QuietClientFaultsTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** Thread-safe capture (ListAppender's list is not safe to read while the gateway's threads append). */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent e) {
            events.add(e);
        }
    }

    interface Behaviour {
        void run(Socket s, InputStream in, OutputStream out) throws Exception;
    }

    private static String upgrade(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n" + extra + "\r\n";
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static byte[] maskedFrame(int b0, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(b0);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    private static void drain(Socket s, InputStream in) throws IOException {
        s.setSoTimeout(5000);
        try {
            while (in.read() >= 0) {
                // until the server closes
            }
        } catch (IOException e) {
            // reset by the server: also the end
        }
    }

    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private static Map<String, Behaviour> behaviours() {
        String publishHead = "POST /api/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateways.API_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n";
        byte[] part = ("[" + "{\"topic\":\"news.a\",\"data\":1},".repeat(30)).getBytes(StandardCharsets.US_ASCII);
        Map<String, Behaviour> all = new LinkedHashMap<>();
        all.put("upload aborted with FIN", (s, in, out) -> {
            out.write(publishHead.getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            s.close();
        });
        all.put("upload aborted with RST", (s, in, out) -> {
            out.write(publishHead.getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            reset(s);
        });
        all.put("reset during the request head", (s, in, out) -> {
            out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(s);
        });
        all.put("FIN during the request head", (s, in, out) -> {
            out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("reset right after the upgrade request", (s, in, out) -> {
            out.write(upgrade("/ws", "").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(s);
        });
        all.put("reset mid-frame", (s, in, out) -> {
            out.write(upgrade("/ws/echo", "").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(in);
            byte[] frame = maskedFrame(0x81, "x".repeat(100).getBytes(StandardCharsets.US_ASCII));
            out.write(frame, 0, 20);
            out.flush();
            reset(s);
        });
        all.put("FIN mid-frame", (s, in, out) -> {
            out.write(upgrade("/ws/echo", "").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(in);
            byte[] frame = maskedFrame(0x81, "x".repeat(100).getBytes(StandardCharsets.US_ASCII));
            out.write(frame, 0, 20);
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("compression bomb", (s, in, out) -> {
            out.write(upgrade("/ws/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(in);
            out.write(maskedFrame(0xc1, RfcStrictnessTest.deflate(" ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII))));
            out.flush();
            drain(s, in);
        });
        all.put("corrupt compressed data", (s, in, out) -> {
            out.write(upgrade("/ws/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(in);
            out.write(maskedFrame(0xc1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 0x01}));
            out.flush();
            drain(s, in);
        });
        all.put("a TLS hello on the plain port", (s, in, out) -> {
            byte[] hello = Base64.getDecoder().decode("FgMBAgABAAH8AwPRWiFl8Zw0dNLH3nsk6nnqQJ5DDsE4CTIfpZQaYfLHdSDX");
            out.write(hello);
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("a header line over the limit", (s, in, out) -> {
            out.write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("a broken chunked body", (s, in, out) -> {
            out.write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("a malformed percent-encoding", (s, in, out) -> {
            out.write("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            drain(s, in);
        });
        all.put("pipelined requests, then a reset", (s, in, out) -> {
            out.write("GET /client.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(50).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(s);
        });
        all.put("an upgrade that is reset while the handshake answer is written", (s, in, out) -> {
            out.write((upgrade("/ws", "") + "garbage").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(s);
        });
        return all;
    }

    /** A plain request from {@code from} is answered: the node has let go of the earlier connection from there. */
    private static boolean served(int port, InetAddress from) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void noClientBehaviourLogsAStackTraceOrAWarning() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Logger> watched = List.of(context.getLogger("dev.pushgate"), context.getLogger("io.netty"));
        Map<Logger, Level> before = new LinkedHashMap<>();
        watched.forEach(l -> before.put(l, l.getLevel()));
        Captured seen = new Captured();
        seen.setContext(context);
        seen.start();
        try (Gateway g = TestGateways.start(Map.of("limits.max-connections-per-ip", "1", "ws.echo-enabled", "true",
                "ws.max-message-size", "64KiB", "ws.max-frame-size", "16KiB", "demos.enabled", "false"))) {
            watched.forEach(l -> l.setLevel(Level.INFO));
            root.addAppender(seen);
            int host = 10;
            for (Map.Entry<String, Behaviour> b : behaviours().entrySet()) {
                InetAddress from = InetAddress.getByName("127.0.0." + host++);
                Socket s = new Socket();
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", g.port()), 5000);
                try (s) {
                    b.getValue().run(s, s.getInputStream(), s.getOutputStream());
                } catch (IOException e) {
                    // the server may end the connection first: that is its answer
                }
                Await.until(Duration.ofSeconds(15), () -> served(g.port(), from),
                        () -> "the node did not let go of the connection of: " + b.getKey());
                // and ended its session (Netty's deflate decoder can raise from channelInactive on corrupt data)
                Await.until(Duration.ofSeconds(5), () -> g.sessionCount() == 0,
                        () -> "a session outlived its connection: " + b.getKey());
            }
        } finally {
            root.detachAppender(seen);
            before.forEach(Logger::setLevel);
        }
        List<ILoggingEvent> bad = seen.events.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                        || (e.getLevel().isGreaterOrEqual(Level.INFO) && e.getThrowableProxy() != null))
                .toList();
        assertEquals(List.of(), bad.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - "
                + e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.toList()));
        assertTrue(seen.events.size() < 1000, "no flood of lines either: " + seen.events.size());
    }
}
