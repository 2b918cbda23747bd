package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;

/** One publication queued for one event loop: the topic's subscribers there get duplicates of {@code frame}. */
record Delivery(TopicEntry entry, ByteBuf frame, long receivedNanos) {
}
