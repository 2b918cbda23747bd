/**
 * The Netty side: socket transport selection, the one {@link dev.pushgate.gateway.transport.GatewayChannelInitializer}
 * that assembles every pipeline, the HTTP router, and the WebSocket handlers that connect a channel to its
 * {@link dev.pushgate.gateway.session.Session}. Nothing outside this package imports it but the composition root.
 */
package dev.pushgate.gateway.transport;
