package dev.pushgate.gateway.broker;

/** One publication of a topic: its offset ({@code -1} when unsequenced) and the JSON value published. */
public record Publication(long offset, byte[] data) {
}
