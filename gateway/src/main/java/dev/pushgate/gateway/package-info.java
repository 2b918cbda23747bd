/**
 * The composition root: {@link dev.pushgate.gateway.GatewayMain} (command line, signals) and
 * {@link dev.pushgate.gateway.Gateway} (builds every part, starts and drains the node).
 */
package dev.pushgate.gateway;
