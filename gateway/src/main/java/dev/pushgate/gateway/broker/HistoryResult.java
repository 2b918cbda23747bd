package dev.pushgate.gateway.broker;

import java.util.List;

/**
 * What {@link Broker#history} found: the topic's current position and the publications after the asked offset
 * (ascending by offset, at most the asked limit). {@code complete} is true only when the asked epoch is the current
 * one and history still holds every publication after the asked offset up to {@code position} (or up to the limit);
 * when false, {@code publications} is empty — never a partial replay.
 */
public record HistoryResult(StreamPosition position, List<Publication> publications, boolean complete) {
}
