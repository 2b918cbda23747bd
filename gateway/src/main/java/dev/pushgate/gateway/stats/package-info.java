/**
 * Cluster stats: each node samples its own numbers every {@code stats.interval} ({@link
 * dev.pushgate.gateway.stats.StatsReporter}), publishes them to the internal topic {@code pushgate.stats} and keeps
 * the latest from every node ({@link dev.pushgate.gateway.stats.ClusterStats}), which {@code GET /api/stats} and the
 * {@code /admin} page show. No Netty here.
 */
package dev.pushgate.gateway.stats;
