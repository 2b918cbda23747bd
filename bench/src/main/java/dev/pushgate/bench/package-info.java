/**
 * The pushgate load generator: a Netty client that drives a pushgate gateway (or a Socket.IO peer) with fan-out,
 * ramp and idle-connection scenarios and reports deliveries, loss, order and end-to-end latency.
 * {@link dev.pushgate.bench.BenchMain} is the composition root.
 */
package dev.pushgate.bench;
