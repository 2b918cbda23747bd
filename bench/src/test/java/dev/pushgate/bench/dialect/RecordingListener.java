package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link SessionListener} that writes down every event as text. */
final class RecordingListener implements SessionListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onReady(Channel channel) {
        events.add("ready");
    }

    @Override
    public void onAck(Channel channel, long id) {
        events.add("ack " + id);
    }

    @Override
    public void onMessage(Channel channel, ByteBuf frame) {
        events.add("message " + frame.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onError(Channel channel, long id, String code) {
        events.add("error " + id + " " + code);
    }

    @Override
    public void onClosed(Channel channel, Throwable cause) {
        events.add("closed");
    }
}
