package dev.pushgate.gateway.policy;

/**
 * What a namespace allows. Backends may always publish; {@code clientPublish} opens publishing to WebSocket clients.
 *
 * @param clientPublish clients may publish to the namespace's topics
 * @param presence      the gateway tracks who is subscribed
 * @param joinLeave     subscribers receive join and leave events (only when presence is on)
 */
public record NamespacePolicy(boolean clientPublish, boolean presence, boolean joinLeave) {
}
