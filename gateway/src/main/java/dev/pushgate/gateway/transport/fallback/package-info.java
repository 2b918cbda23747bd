/**
 * What the HTTP fallback transports (SSE in {@code transport.sse}, long-polling in {@code transport.poll}) share:
 * the position token, the per-request position vector, parsing and authorising a subscribe-by-URL request, the
 * per-IP and total request slots, and {@code POST /api/client/publish}.
 */
package dev.pushgate.gateway.transport.fallback;
