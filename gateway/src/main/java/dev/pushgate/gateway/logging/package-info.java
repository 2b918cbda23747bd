/**
 * Log output: the console encoder (text, or JSON lines by logstash-logback-encoder with every {@code name=value} field
 * of a line as a JSON field) Logback uses, and {@link
 * dev.pushgate.gateway.logging.LogSettings}, which applies the {@code log.*} keys to Logback at start. Logback is
 * configured by {@code logback.xml}, which reads the same {@code GATEWAY_LOG_*} variables so that the first lines
 * are already in the right format.
 */
package dev.pushgate.gateway.logging;
