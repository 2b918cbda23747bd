/**
 * The channel layer behind the hub: {@link dev.pushgate.gateway.broker.Broker} (node-level topic subscriptions and
 * publishing) with the in-memory implementation as the embedded default and reference; {@code broker.redis} holds
 * the Redis one. Brokers never see clients: publications come back through one
 * {@link dev.pushgate.gateway.broker.BrokerListener}. No Netty here.
 */
package dev.pushgate.gateway.broker;
