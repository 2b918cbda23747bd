/**
 * The load itself: subscribers (one per connection, with their own order and latency accounting), the connection
 * launcher that bounds concurrent handshakes, and publishers over WebSocket, HTTP or Redis paced by a timer at the
 * event loop.
 */
package dev.pushgate.bench.load;
