/**
 * Log output: the JSON-lines encoder Logback uses with {@code log.format: json}, and {@link
 * dev.pushgate.gateway.logging.LogSettings}, which applies the {@code log.*} keys to Logback at start. Logback is
 * configured by {@code logback.xml}, which reads the same {@code GATEWAY_LOG_*} variables so that the first lines
 * are already in the right format.
 */
package dev.pushgate.gateway.logging;
