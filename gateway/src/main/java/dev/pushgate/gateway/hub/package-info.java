/**
 * The hub: this node's index of topic → local subscribers, and the fan-out path. A publication is encoded once into
 * one pooled direct buffer; each event loop with subscribers of the topic gets one queued delivery, and on that loop
 * every subscriber receives a retained duplicate of the same bytes, with one flush per socket per batch. The
 * {@link dev.pushgate.gateway.hub.OutboundBudget} bounds what the node holds unsent for all its connections together.
 */
package dev.pushgate.gateway.hub;
