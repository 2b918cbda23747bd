/** Authentication: API keys for the HTTP API (and, later, client tokens). No Netty here. */
package dev.pushgate.gateway.auth;
