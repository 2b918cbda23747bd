package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * A well-behaved test subscriber on one loop: {@link #record} sees every delivery, then both buffers are released
 * (the subscriber owns them, see {@link Subscriber#deliver}); flushing does nothing.
 */
abstract class TestSubscriber implements Subscriber {
    final EventLoop loop;
    private boolean pending;

    TestSubscriber(EventLoop loop) {
        this.loop = loop;
    }

    /** One delivery, before its buffers are released. */
    abstract void record(ByteBuf frame, ByteBuf wire);

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public final boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        try {
            record(frame, wire);
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
