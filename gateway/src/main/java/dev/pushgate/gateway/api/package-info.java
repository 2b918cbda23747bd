/**
 * HTTP endpoints: publish, health and readiness, metrics, static demo files. Each endpoint answers one route through
 * an {@link dev.pushgate.gateway.api.HttpExchange}; errors are JSON bodies with a documented {@code code}.
 */
package dev.pushgate.gateway.api;
