/**
 * The Redis channel layer (lettuce): {@link dev.pushgate.gateway.broker.redis.RedisBroker} (one pub/sub connection
 * holding one Redis subscription per topic with local subscribers, and a command connection for sequenced publishes),
 * {@link dev.pushgate.gateway.broker.redis.RedisSubscriptions} (batched SUBSCRIBE/UNSUBSCRIBE towards the desired
 * set, resubscribe after reconnect) and {@link dev.pushgate.gateway.broker.redis.RedisPresence} (presence members
 * with expiry, refreshed by their node). The only package that imports {@code io.lettuce}; no Netty API is used here
 * directly. Key and channel names are in {@link dev.pushgate.protocol.RedisWire}.
 */
package dev.pushgate.gateway.broker.redis;
