package dev.pushgate.bench.net;

/** The server closed the WebSocket with a Close frame: its status code and reason. */
public final class ServerCloseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public ServerCloseException(int code, String reason) {
        super("server closed the connection: " + code + (reason == null || reason.isEmpty() ? "" : " " + reason));
        this.code = code;
    }

    /** The WebSocket close status code (e.g. 1001, 4002). */
    public int code() {
        return code;
    }
}
