/**
 * HTTP endpoints: publish, presence, cluster stats, health and readiness, metrics, the admin page, static demo files.
 * Each endpoint answers one route through an {@link dev.pushgate.gateway.api.HttpExchange}; errors are JSON bodies
 * with a documented {@code code}.
 */
package dev.pushgate.gateway.api;
