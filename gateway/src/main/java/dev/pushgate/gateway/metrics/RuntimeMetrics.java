package dev.pushgate.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * JVM, GC, process (CPU, uptime, open files: one per connection), Netty pooled-allocator and event-loop meters. Holds the GC binder, which must be closed.
 */
public final class RuntimeMetrics implements MeterBinder, AutoCloseable {
    /**
     * Leaves out Micrometer's two meters whose Prometheus names break the naming rules {@code promtool check metrics}
     * enforces: {@code process.cpu.time} (in nanoseconds: {@code process_cpu_time_ns_total}) and
     * {@code system.cpu.count} (a gauge ending in {@code _count}). {@code process_cpu_usage} covers CPU.
     */
    public static final MeterFilter PROMETHEUS_NAMING =
            MeterFilter.deny(id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count"));

    private final EventLoopGroup workers;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public RuntimeMetrics(EventLoopGroup workers) {
        this.workers = workers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc.bindTo(registry);
        PooledByteBufAllocatorMetric alloc = PooledByteBufAllocator.DEFAULT.metric();
        Gauge.builder(MeterNames.ALLOCATOR_USED, alloc, PooledByteBufAllocatorMetric::usedDirectMemory)
                .tag("memory", "direct").baseUnit("bytes").description("Netty pooled allocator memory in use")
                .register(registry);
        Gauge.builder(MeterNames.ALLOCATOR_USED, alloc, PooledByteBufAllocatorMetric::usedHeapMemory)
                .tag("memory", "heap").baseUnit("bytes").description("Netty pooled allocator memory in use")
                .register(registry);
        Gauge.builder(MeterNames.EVENT_LOOP_PENDING, workers, RuntimeMetrics::pendingTasks)
                .description("Tasks waiting on the event loops").register(registry);
    }

    private static double pendingTasks(EventLoopGroup group) {
        long sum = 0;
        for (EventExecutor e : group) {
            if (e instanceof SingleThreadEventExecutor s) {
                sum += s.pendingTasks();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        gc.close();
    }
}
