package dev.pushgate.protocol;

/**
 * Topic name rules. A topic is 1 to {@link #MAX_LENGTH} characters from {@code [A-Za-z0-9_.:@=/-]}; it may not
 * start or end with {@code .} or {@code :}. Its namespace is the part before the first {@code .} or {@code :}
 * ({@code chat.lobby} → {@code chat}); a topic with neither belongs to the default namespace {@code ""}.
 */
public final class Topics {
    /** The hard maximum; a gateway may configure a lower one. */
    public static final int MAX_LENGTH = 255;

    private Topics() {
    }

    /** Returns why {@code topic} is invalid under {@code maxLength}, or {@code null} when it is valid. */
    public static String violation(String topic, int maxLength) {
        if (topic == null || topic.isEmpty()) {
            return "topic must not be empty";
        }
        if (topic.length() > Math.min(maxLength, MAX_LENGTH)) {
            return "topic longer than " + Math.min(maxLength, MAX_LENGTH) + " characters";
        }
        for (int i = 0; i < topic.length(); i++) {
            if (!allowed(topic.charAt(i))) {
                return "topic may only contain A-Z a-z 0-9 and _ . : @ = / -";
            }
        }
        char first = topic.charAt(0);
        char last = topic.charAt(topic.length() - 1);
        if (first == '.' || first == ':' || last == '.' || last == ':') {
            return "topic may not start or end with . or :";
        }
        return null;
    }

    /** Whether {@code topic} is valid under the hard maximum length. */
    public static boolean isValid(String topic) {
        return violation(topic, MAX_LENGTH) == null;
    }

    /** The namespace of a valid topic: the part before the first {@code .} or {@code :}, or {@code ""}. */
    public static String namespace(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '.' || c == ':') {
                return topic.substring(0, i);
            }
        }
        return "";
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '@' || c == '=' || c == '/' || c == '-';
    }
}
