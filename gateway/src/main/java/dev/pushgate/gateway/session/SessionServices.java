package dev.pushgate.gateway.session;

import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.hub.Hub;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.publish.PublishService;

/** What every session shares: the hub, publishing, policies, limits and metrics. */
public record SessionServices(Hub hub, PublishService publisher, NamespacePolicies policies,
                              GatewayConfig.Limits limits, GatewayMetrics metrics, SessionRegistry registry) {
}
