package dev.pushgate.publisher;

/**
 * Where a publication landed in its topic's stream: its offset (the {@code seq} subscribers see, +1 per publication)
 * and the topic's epoch (changes whenever the topic's history was lost, e.g. Redis restarted without persistence).
 */
public record Position(long offset, String epoch) {
}
