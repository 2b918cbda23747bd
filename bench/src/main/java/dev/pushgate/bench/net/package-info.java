/**
 * Netty plumbing: the event loop group (epoll, NIO fallback), WebSocket and HTTP client pipelines, and the choice
 * of local source addresses for many connections.
 */
package dev.pushgate.bench.net;
