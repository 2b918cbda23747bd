/**
 * Browser tests: a minimal headless-Chromium harness speaking the Chrome DevTools Protocol over the JDK's
 * WebSocket client ({@link dev.pushgate.browser.Chromium}, {@link dev.pushgate.browser.Page}), and the tests of the
 * demo pages and of {@code client.js} that use it.
 */
package dev.pushgate.browser;
