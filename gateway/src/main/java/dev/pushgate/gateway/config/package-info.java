/**
 * Configuration: every key with its default and meaning ({@link dev.pushgate.gateway.config.ConfigKey}), one loader
 * that layers the YAML file, {@code GATEWAY_*} environment variables and CLI flags, and the typed records the rest
 * of the gateway reads. Invalid configuration fails fast with a message naming the key.
 */
package dev.pushgate.gateway.config;
