package dev.pushgate.gateway.presence;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.policy.NamespacePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What sessions tell presence: a connection joined or left a topic. Applies the namespace policy (only namespaces
 * with {@code presence: true} are tracked; {@code join-leave: true} also tells the topic's subscribers on every node
 * through the broker). Thread-safe; never blocks.
 */
public final class PresenceService {
    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

    private final Presence store;
    private final Broker broker;
    private final NamespacePolicies policies;
    private final String nodeId;

    public PresenceService(Presence store, Broker broker, NamespacePolicies policies, String nodeId) {
        this.store = store;
        this.broker = broker;
        this.policies = policies;
        this.nodeId = nodeId;
    }

    /** Whether {@code topic}'s namespace tracks presence. */
    public boolean enabled(String topic) {
        return policies.forTopic(topic).presence();
    }

    /** Connection {@code client} (user {@code user}, may be null) is now subscribed to {@code topic}. */
    public void joined(String topic, String client, String user) {
        NamespacePolicy policy = policies.forTopic(topic);
        if (!policy.presence()) {
            return;
        }
        PresenceMember member = new PresenceMember(client, nodeId, user);
        store.add(topic, member);
        if (policy.joinLeave()) {
            broker.publishJoin(topic, member.toJson()).whenComplete((ok, err) -> logFailure("join", topic, err));
        }
    }

    /** Connection {@code client} is no longer subscribed to {@code topic}. */
    public void left(String topic, String client, String user) {
        NamespacePolicy policy = policies.forTopic(topic);
        if (!policy.presence() || !store.remove(topic, client)) {
            return;
        }
        if (policy.joinLeave()) {
            byte[] member = new PresenceMember(client, nodeId, user).toJson();
            broker.publishLeave(topic, member).whenComplete((ok, err) -> logFailure("leave", topic, err));
        }
    }

    /** The members of {@code topic} on every node; fails when the store is unavailable. */
    public CompletionStage<List<PresenceMember>> members(String topic) {
        return store.members(topic);
    }

    private static void logFailure(String event, String topic, Throwable err) {
        if (err != null) {
            log.debug("presence event not sent: event={} topic={} error={}", event, topic, err.toString());
        }
    }
}
