package dev.pushgate.gateway.session;

import dev.pushgate.gateway.auth.TokenVerifier;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.hub.Hub;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.presence.PresenceService;
import dev.pushgate.gateway.publish.PublishService;

import java.time.Duration;

/**
 * What every session shares: the hub, publishing, policies, limits, metrics, the token verifier ({@code null}
 * when no token keys are configured: then every namespace is open to anonymous connections) and presence.
 * {@code adminEnabled} opens the gateway's own namespace ({@link NamespacePolicies#INTERNAL_NAMESPACE}) to
 * subscribers. {@code rateLimit} is the client message rate limit every transport goes through.
 */
public record SessionServices(Hub hub, PublishService publisher, NamespacePolicies policies,
                              GatewayConfig.Limits limits, GatewayMetrics metrics, SessionRegistry registry,
                              TokenVerifier tokens, Duration refreshWarning, PresenceService presence,
                              boolean adminEnabled, ClientRateLimit rateLimit) {

    /** With the rate limit {@code limits} configure. */
    public SessionServices(Hub hub, PublishService publisher, NamespacePolicies policies,
                           GatewayConfig.Limits limits, GatewayMetrics metrics, SessionRegistry registry,
                           TokenVerifier tokens, Duration refreshWarning, PresenceService presence,
                           boolean adminEnabled) {
        this(hub, publisher, policies, limits, metrics, registry, tokens, refreshWarning, presence, adminEnabled,
                new ClientRateLimit(limits, metrics));
    }
}
