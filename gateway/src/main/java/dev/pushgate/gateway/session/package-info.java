/**
 * Sessions: the per-connection state machine (subscriptions, requests and answers) behind any transport. A session
 * is touched only on its connection's event loop. No Netty here: the transport is reached through
 * {@link dev.pushgate.gateway.session.Transport}.
 */
package dev.pushgate.gateway.session;
