/**
 * Server side of the demos served at {@code /}: the live vote's counts and the tail -f stream, their shared state in
 * the channel layer ({@link dev.pushgate.gateway.demo.DemoStore}; the chat needs none).
 */
package dev.pushgate.gateway.demo;
