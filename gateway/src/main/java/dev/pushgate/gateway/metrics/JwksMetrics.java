package dev.pushgate.gateway.metrics;

import dev.pushgate.gateway.auth.RemoteKeySet;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Fetches of the {@code auth.jwks-url} key set by result; both stay 0 without a JWKS URL. */
public final class JwksMetrics implements MeterBinder {
    private final RemoteKeySet keys;

    /** {@code keys} may be null (no JWKS URL configured). */
    public JwksMetrics(RemoteKeySet keys) {
        this.keys = keys;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(MeterNames.JWKS_FETCHES, this, m -> m.keys == null ? 0 : m.keys.successes())
                .tag("result", "ok").description("Fetches of the auth.jwks-url key set").register(registry);
        FunctionCounter.builder(MeterNames.JWKS_FETCHES, this, m -> m.keys == null ? 0 : m.keys.failures())
                .tag("result", "error").description("Fetches of the auth.jwks-url key set").register(registry);
    }
}
