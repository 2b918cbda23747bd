package dev.pushgate.gateway.policy;

import dev.pushgate.gateway.broker.HistoryPolicy;

/**
 * What a namespace allows. Backends may always publish; {@code clientPublish} opens publishing to WebSocket clients.
 *
 * @param clientPublish clients may publish to the namespace's topics
 * @param presence      the gateway tracks who is subscribed
 * @param joinLeave     subscribers receive join and leave events (only when presence is on)
 * @param anonymous     connections without a token may subscribe (once token keys are configured)
 * @param slowConsumer  what happens to a subscriber over its outbound budget
 * @param history       how many publications its topics keep, and how long, for recovery ({@code history-size},
 *                      {@code history-ttl}; {@link HistoryPolicy#NONE} keeps none)
 */
public record NamespacePolicy(boolean clientPublish, boolean presence, boolean joinLeave, boolean anonymous,
                              SlowConsumerPolicy slowConsumer, HistoryPolicy history) {

    /** Handling of a subscriber that cannot keep up. */
    public enum SlowConsumerPolicy {
        /** Skip its messages while over budget; close it with 4001 once over budget longer than the grace. */
        CLOSE,
        /** Skip its messages while over budget and tell it how many it missed once it catches up; never close. */
        SKIP
    }
}
