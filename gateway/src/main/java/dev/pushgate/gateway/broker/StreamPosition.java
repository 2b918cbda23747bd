package dev.pushgate.gateway.broker;

/**
 * A position in one topic's stream: the offset of a publication (rising by one per publication, the wire's
 * {@code seq}) and the epoch of the topic's history (an opaque string that changes whenever the history is lost,
 * e.g. Redis restarted without persistence or an in-memory topic expired). Offset 0 means "before the first".
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        if (epoch == null) {
            throw new IllegalArgumentException("epoch must not be null");
        }
    }
}
