/** Server side of the demos served at {@code /}: the live vote's counts (the chat needs none). */
package dev.pushgate.gateway.demo;
