/**
 * Presence: who is subscribed to a topic across all nodes. {@link dev.pushgate.gateway.presence.Presence} is the
 * store (in-memory here, Redis in {@code broker.redis}); {@link dev.pushgate.gateway.presence.PresenceService} applies
 * the namespace policies and sends join/leave events through the broker. No Netty here.
 */
package dev.pushgate.gateway.presence;
