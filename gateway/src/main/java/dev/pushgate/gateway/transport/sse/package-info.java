/**
 * Server-Sent Events: {@code GET /sse?topic=..} as a long {@code text/event-stream} response fed by the hub's
 * fan-out (encode-once {@code data:} bytes per loop, a small per-stream {@code id:} line), resumable with
 * {@code Last-Event-ID}.
 */
package dev.pushgate.gateway.transport.sse;
