/**
 * The Redis channel layer (lettuce): {@link dev.pushgate.gateway.broker.redis.RedisConnections} (the one owner of a
 * node's Redis sockets: publishing, reads, presence, pub/sub, each with its own bounded queue),
 * {@link dev.pushgate.gateway.broker.redis.RedisBroker} (the broker on them),
 * {@link dev.pushgate.gateway.broker.redis.RedisStreams} (topic positions and history: the publish and history
 * scripts), {@link dev.pushgate.gateway.broker.redis.RedisSubscriptions} (batched SUBSCRIBE/UNSUBSCRIBE towards the
 * desired set, resubscribe after reconnect), {@link dev.pushgate.gateway.broker.redis.RedisLinkProbe} (the pub/sub
 * liveness probe) and {@link dev.pushgate.gateway.broker.redis.RedisPresence} (presence members with expiry,
 * refreshed by their node). The only package that imports {@code io.lettuce}; no Netty API is used here directly.
 * Key and channel names and the scripts are in {@link dev.pushgate.protocol.RedisWire}.
 */
package dev.pushgate.gateway.broker.redis;
