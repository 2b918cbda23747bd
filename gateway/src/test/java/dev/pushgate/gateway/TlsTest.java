package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.TestCertificates;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The TLS listener: wss and https with a trusted test certificate, old protocols refused, reload without restart. */
class TlsTest {

    private static Gateway start(Path dir, String reload) {
        return TestGateways.start(Map.of("tls.enabled", "true", "tls.port", "0",
                "tls.cert-file", dir.resolve("cert.pem").toString(), "tls.key-file", dir.resolve("key.pem").toString(),
                "tls.reload-interval", reload));
    }

    @Test
    void wssAndHttpsWorkBesideThePlainListener(@TempDir Path dir) throws Exception {
        TestCertificates.create(dir, "first");
        try (Gateway g = start(dir, "0s")) {
            SSLContext trust = TestCertificates.trusting(dir.resolve("cert.pem"));
            HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + g.tlsPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + g.tlsPort() + "/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(first.get(10, TimeUnit.SECONDS).contains("\"op\":\"connected\""));
            ws.abort();
            // The plain listener still serves.
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(TestGateways.httpUrl(g) + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    @Test
    void tls11IsRefused(@TempDir Path dir) throws Exception {
        TestCertificates.create(dir, "first");
        try (Gateway g = start(dir, "0s"); Socket s = new Socket("127.0.0.1", g.tlsPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(clientHello(0x0302));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            int n;
            try {
                while ((n = in.read(buf)) > 0 && got.size() < 5) {
                    got.write(buf, 0, n);
                }
            } catch (java.io.IOException endedByServer) {
                // a reset is a refusal too
            }
            byte[] answer = got.toByteArray();
            // Either nothing / a reset, or a TLS alert record (type 21); never a ServerHello handshake (type 22).
            assertTrue(answer.length == 0 || answer[0] == 21, "server answered a TLS 1.1 hello with record type "
                    + (answer.length > 0 ? answer[0] : -1));
        }
    }

    @Test
    void renewedCertificateIsServedWithoutRestart(@TempDir Path dir) throws Exception {
        X509Certificate original = TestCertificates.create(dir, "first");
        try (Gateway g = start(dir, "1s")) {
            assertEquals(original.getSerialNumber(), served(g));
            // File times have a coarse resolution on some file systems; make sure the new files look newer.
            java.nio.file.Files.setLastModifiedTime(dir.resolve("cert.pem"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            X509Certificate renewed = TestCertificates.create(dir, "second");
            assertNotEquals(original.getSerialNumber(), renewed.getSerialNumber());
            Await.until(Duration.ofSeconds(15), () -> renewed.getSerialNumber().equals(served(g)),
                    () -> "renewed certificate not served");
        }
    }

    /** The serial number of the certificate a fresh TLS connection sees (trusting anything: we only look). */
    private static java.math.BigInteger served(Gateway g) {
        try {
            return handshake(g);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.math.BigInteger handshake(Gateway g) throws Exception {
        SSLContext any = SSLContext.getInstance("TLS");
        any.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", g.tlsPort())) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** A minimal ClientHello record offering only {@code version} and a few RSA/ECDHE CBC suites. */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session id
        int[] suites = {0xc013, 0xc014, 0x002f, 0x0035};
        body.write(0);
        body.write(suites.length * 2);
        for (int s : suites) {
            body.write(s >> 8);
            body.write(s & 0xff);
        }
        body.write(1);
        body.write(0); // null compression
        byte[] b = body.toByteArray();
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        hs.write(1); // ClientHello
        hs.write(0);
        hs.write(b.length >> 8);
        hs.write(b.length & 0xff);
        hs.writeBytes(b);
        byte[] h = hs.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(22);
        rec.write(0x03);
        rec.write(0x01);
        rec.write(h.length >> 8);
        rec.write(h.length & 0xff);
        rec.writeBytes(h);
        return rec.toByteArray();
    }
}
