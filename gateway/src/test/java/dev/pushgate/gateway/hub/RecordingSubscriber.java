package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A test subscriber on one loop that keeps each frame's text in {@link #frames}. */
class RecordingSubscriber extends TestSubscriber {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

    RecordingSubscriber(EventLoop loop) {
        super(loop);
    }

    @Override
    void record(ByteBuf frame, ByteBuf wire) {
        frames.add(frame.toString(StandardCharsets.UTF_8));
    }
}
