/**
 * The hub: this node's index of topic → local subscribers, and the fan-out path. A publication is encoded once into
 * one pooled direct buffer; each event loop with subscribers of the topic gets one queued delivery, and on that loop
 * every subscriber receives a retained duplicate of the same bytes, with one flush per socket per batch.
 */
package dev.pushgate.gateway.hub;
