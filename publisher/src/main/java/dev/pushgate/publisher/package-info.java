/**
 * Publishing to pushgate topics from a Java backend without going through a gateway node:
 * {@link dev.pushgate.publisher.RedisPublisher} writes to the Redis the gateways share, with the same channel names,
 * envelope and publish script ({@link dev.pushgate.protocol.RedisWire}): positions and history.
 */
package dev.pushgate.publisher;
