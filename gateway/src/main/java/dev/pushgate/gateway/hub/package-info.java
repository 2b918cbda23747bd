/**
 * The hub: this node's index of topic → local subscribers, and the fan-out path. A publication is encoded once;
 * each event loop with subscribers of the topic gets one queued delivery and frames it once into a pooled direct
 * buffer, and on that loop every subscriber receives a retained duplicate of the same bytes (a WebSocket connection
 * copies small ones into its cork, ADR 0017), with one flush per socket per batch. The
 * {@link dev.pushgate.gateway.hub.OutboundBudget} bounds what the node holds unsent for all its connections together.
 *
 * <p>Positions and recovery (ADR 0013): {@code TopicContinuity} keeps each topic's node-level position and repairs
 * holes from history ({@code HistoryReads}); {@code Subscription} holds what is per subscription (generation, start
 * position, recovery buffer, the seam filter).
 */
package dev.pushgate.gateway.hub;
