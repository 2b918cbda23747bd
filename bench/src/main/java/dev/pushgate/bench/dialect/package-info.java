/**
 * The two wire dialects the bench speaks over WebSocket: pushgate's JSON ops and Socket.IO v4 (Engine.IO packets).
 * A {@link dev.pushgate.bench.dialect.Dialect} encodes outgoing frames and creates the per-connection session handler
 * that turns incoming frames into {@link dev.pushgate.bench.dialect.SessionListener} events.
 */
package dev.pushgate.bench.dialect;
