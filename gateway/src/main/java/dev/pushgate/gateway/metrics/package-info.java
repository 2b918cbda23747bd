/**
 * Metrics: every meter name in {@link dev.pushgate.gateway.metrics.MeterNames}, the counters and gauges the gateway
 * updates in {@link dev.pushgate.gateway.metrics.GatewayMetrics}, rendered by the Prometheus registry at
 * {@code /metrics}. No topic, user or connection id is ever a tag value.
 */
package dev.pushgate.gateway.metrics;
