package dev.pushgate.protocol;

/**
 * A message a client sends to the gateway. Every variant carries the optional request {@code id} that the
 * answer ({@code ack}, {@code error} or {@code pong}) echoes back; {@code null} when the client sent none.
 */
public sealed interface ClientMessage {

    /** The request id to echo in the answer, or {@code null}. */
    Long id();

    /**
     * {@code {"op":"subscribe","id":1,"topic":"chat.lobby"}}, optionally with {@code "since":{"epoch":"E","seq":41}}:
     * the position the client stopped at, to recover what it missed; {@code since} is {@code null} without it.
     */
    record Subscribe(Long id, String topic, Since since) implements ClientMessage {
        public Subscribe(Long id, String topic) {
            this(id, topic, null);
        }
    }

    /** A position in a topic's stream as the client names it: the epoch and the {@code seq} of its last message. */
    record Since(String epoch, long seq) { }

    /** {@code {"op":"unsubscribe","id":2,"topic":"chat.lobby"}}. */
    record Unsubscribe(Long id, String topic) implements ClientMessage { }

    /** {@code {"op":"publish","id":3,"topic":"chat.lobby","data":...}}; {@code data} is compact JSON text in UTF-8. */
    record Publish(Long id, String topic, byte[] data) implements ClientMessage { }

    /** {@code {"op":"ping","id":4}}: an application keep-alive that the gateway answers with {@code pong}. */
    record Ping(Long id) implements ClientMessage { }

    /** {@code {"op":"connect","id":1,"token":"<JWT>"}}: authenticates the connection (once, before subscribing). */
    record Connect(Long id, String token) implements ClientMessage { }

    /** {@code {"op":"refresh","id":9,"token":"<JWT>"}}: replaces an expiring token with a new one for the same user. */
    record Refresh(Long id, String token) implements ClientMessage { }
}
