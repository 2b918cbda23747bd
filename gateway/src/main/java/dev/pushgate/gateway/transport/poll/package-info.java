/**
 * Long-polling: {@code GET /poll?topic=..[&since=TOKEN]} answered from history at once when anything is newer,
 * else held (as a hub subscriber) until a message arrives or {@code poll.timeout} passes.
 */
package dev.pushgate.gateway.transport.poll;
