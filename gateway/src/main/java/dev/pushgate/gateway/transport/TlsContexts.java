package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.config.GatewayConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TLS listener's server context from PEM files: TLS 1.3 and 1.2 only, modern AEAD cipher suites, BoringSSL when
 * available and the JDK otherwise. Checks the files every {@code reload-interval} and swaps in a new context when
 * they changed, so renewed certificates apply to new connections without a restart.
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private final GatewayConfig.Tls config;
    private final AtomicReference<SslContext> current = new AtomicReference<>();
    private volatile FileTime certTime;
    private volatile FileTime keyTime;

    public TlsContexts(GatewayConfig.Tls config) {
        this.config = config;
        current.set(build());
    }

    /** The context for the next connection. */
    public SslContext current() {
        return current.get();
    }

    /** The provider in use: {@code openssl} (BoringSSL) or {@code jdk}. */
    public static String provider() {
        return OpenSsl.isAvailable() ? "openssl" : "jdk";
    }

    /** Starts the reload checks on {@code timer} (when an interval is configured). */
    public void watch(ScheduledExecutorService timer) {
        long every = config.reloadInterval().toMillis();
        if (every > 0) {
            timer.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void reloadIfChanged() {
        try {
            FileTime c = Files.getLastModifiedTime(config.certFile());
            FileTime k = Files.getLastModifiedTime(config.keyFile());
            if (c.equals(certTime) && k.equals(keyTime)) {
                return;
            }
            current.set(build());
            log.info("tls certificate reloaded: cert={}", config.certFile());
        } catch (IOException | RuntimeException e) {
            log.error("tls certificate reload failed, keeping the previous one: cert={} error={}",
                    config.certFile(), e.toString());
        }
    }

    private SslContext build() {
        try {
            certTime = Files.getLastModifiedTime(config.certFile());
            keyTime = Files.getLastModifiedTime(config.keyFile());
            return SslContextBuilder.forServer(config.certFile().toFile(), config.keyFile().toFile())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot load TLS certificate or key: " + e.getMessage(), e);
        }
    }
}
