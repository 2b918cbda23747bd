/**
 * Accounting: per-subscriber order and duplicate tracking, latency histograms, delivery and publish counters,
 * and sampling of the gateway processes (CPU, RSS, heap).
 */
package dev.pushgate.bench.stats;
