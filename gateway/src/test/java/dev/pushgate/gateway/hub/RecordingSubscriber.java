package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A well-behaved test subscriber on one loop: keeps each frame's text in {@link #frames}, releases both buffers. */
class RecordingSubscriber implements Subscriber {
    final EventLoop loop;
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private boolean pending;

    RecordingSubscriber(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        try {
            frames.add(frame.toString(StandardCharsets.UTF_8));
            return true;
        } finally {
            frame.release();
            wire.release();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean flushPending() {
        return pending;
    }

    @Override
    public void flushPending(boolean p) {
        pending = p;
    }
}
