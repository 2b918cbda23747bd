/**
 * Authentication: API keys for the HTTP API and connection tokens (JWS with nimbus-jose-jwt: {@link
 * dev.pushgate.gateway.auth.TokenVerifier}, keys from files and a JWKS URL). No Netty here.
 */
package dev.pushgate.gateway.auth;
