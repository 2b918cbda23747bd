package dev.pushgate.gateway.hub;

/**
 * One publication queued for the event loops that have subscribers of its topic: the encoded frame's JSON, shared
 * read-only by every loop (each builds its own wire bytes from it, so no reference count crosses loops).
 */
record Delivery(TopicEntry entry, byte[] frame, long receivedNanos) {
}
