package dev.pushgate.gateway.policy;

import dev.pushgate.protocol.Topics;

import java.util.Map;

/** Looks up the policy of a topic by its namespace; unknown namespaces get the defaults. Immutable, thread-safe. */
public final class NamespacePolicies {
    /**
     * The gateway's own namespace (its stats topic {@code pushgate.stats}): only the gateway publishes to it, and
     * WebSocket clients may subscribe to it only with {@code admin.enabled}.
     */
    public static final String INTERNAL_NAMESPACE = "pushgate";

    private final NamespacePolicy defaults;
    private final Map<String, NamespacePolicy> named;

    public NamespacePolicies(NamespacePolicy defaults, Map<String, NamespacePolicy> named) {
        this.defaults = defaults;
        this.named = Map.copyOf(named);
    }

    /** The policy of {@code topic} (which must be valid). */
    public NamespacePolicy forTopic(String topic) {
        return named.getOrDefault(Topics.namespace(topic), defaults);
    }

    /** The policy applied to namespaces without their own entry. */
    public NamespacePolicy defaults() {
        return defaults;
    }

    /** The namespaces with their own entry. */
    public Map<String, NamespacePolicy> named() {
        return named;
    }
}
