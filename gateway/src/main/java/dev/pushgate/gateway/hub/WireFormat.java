package dev.pushgate.gateway.hub;

/**
 * The wire formats the fan-out prepares a publication in. Each is built lazily, at most once per publication per
 * event loop, the first time a subscriber of that format is reached, and shared (as duplicates) by every subscriber
 * of the format on the loop.
 */
public enum WireFormat {
    /** A complete unmasked WebSocket text frame (header + payload), see {@link WireFrames}. */
    WEBSOCKET,
    /** The {@code data:} lines and the blank line ending a Server-Sent Event, see {@link SseEvents}. */
    SSE
}
