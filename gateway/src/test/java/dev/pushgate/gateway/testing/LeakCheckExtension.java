package dev.pushgate.gateway.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Registered for every test class (META-INF/services + junit-platform.properties autodetection): installs the
 * recording leak detector, and after each class forces a GC so unreleased buffers are found and fails on any report.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetection.install();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Leaks are reported when a leaked buffer's tracker is collected and a later allocation polls the queue.
        for (int i = 0; i < 3; i++) {
            System.gc();
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        assertEquals(java.util.List.of(), LeakDetection.leaks(), "Netty reported leaked buffers");
    }
}
