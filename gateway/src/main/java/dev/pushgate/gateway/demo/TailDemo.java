package dev.pushgate.gateway.demo;

import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.protocol.ProtocolCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * "tail -f in the browser" (seed 001): polls a growing file and publishes the new lines to topic {@code demo.tail}
 * as {@code {"node":"<node id>","lines":[...]}}. With no file configured it tails a demo log it appends to itself once
 * a second. With several nodes on one channel layer only one of them tails, so pages see one coherent stream: the
 * holder of the {@value #LEASE} lease in the {@link DemoStore} (taken for {@link #LEASE_TTL}, renewed every
 * {@link #RENEW_MILLIS} ms; another node takes over within the TTL when it stops renewing). The others keep their
 * position at the end of their file, so a node that takes over starts with new lines. Runs on its own thread: file
 * reads block, event loops must not.
 */
public final class TailDemo implements AutoCloseable {
    /** The topic new lines are published to. */
    public static final String TOPIC = "demo.tail";
    private static final Logger log = LoggerFactory.getLogger(TailDemo.class);
    private static final int MAX_LINES_PER_MESSAGE = 200;
    private static final int MAX_LINE_CHARS = 2000;
    static final String LEASE = "tail";
    static final Duration LEASE_TTL = Duration.ofSeconds(5);
    static final long RENEW_MILLIS = 1000;

    private final PublishService publisher;
    private final DemoStore store;
    private final String node;
    /** Whether this node holds the lease (set from the store's callbacks, read on the timer thread). */
    private volatile boolean leading;
    private volatile String following;
    private final Path file;
    private final boolean synthetic;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-tail-demo");
        t.setDaemon(true);
        return t;
    });
    private long position;
    private long counter;

    private TailDemo(PublishService publisher, DemoStore store, String node, Path file, boolean synthetic) {
        this.publisher = publisher;
        this.store = store;
        this.node = node;
        this.file = file;
        this.synthetic = synthetic;
    }

    /** Tails {@code configured}, or a demo log of its own when it is empty, while node {@code node} holds the lease. */
    public static TailDemo start(PublishService publisher, DemoStore store, String node, String configured) {
        try {
            boolean synthetic = configured == null || configured.isBlank();
            Path file = synthetic ? Files.createTempFile("pushgate-demo-", ".log") : Path.of(configured);
            TailDemo demo = new TailDemo(publisher, store, node, file, synthetic);
            demo.position = Files.exists(file) ? Files.size(file) : 0;
            if (synthetic) {
                file.toFile().deleteOnExit();
                demo.timer.scheduleWithFixedDelay(demo::appendDemoLine, 1, 1, TimeUnit.SECONDS);
            }
            demo.timer.scheduleWithFixedDelay(demo::renewLease, 0, RENEW_MILLIS, TimeUnit.MILLISECONDS);
            demo.timer.scheduleWithFixedDelay(demo::poll, 250, 250, TimeUnit.MILLISECONDS);
            log.info("tail demo: file={}", file);
            return demo;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the tail demo: " + e.getMessage(), e);
        }
    }

    /** Takes or renews the lease; on the timer thread, the answer on the store's. */
    private void renewLease() {
        try {
            store.lease(LEASE, node, LEASE_TTL).whenComplete((holder, err) -> {
                leading = err == null && node.equals(holder);
                String now = err == null ? holder : null;
                if (now != null && !now.equals(following)) {
                    log.info("tail demo: following node={} this={}", now, node);
                }
                following = now;
            });
        } catch (RuntimeException e) {
            leading = false;
            log.debug("tail demo lease failed: error={}", e.toString());
        }
    }

    private void appendDemoLine() {
        if (!leading) {
            return;
        }
        String[] levels = {"INFO", "INFO", "INFO", "WARN", "DEBUG"};
        String line = LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " "
                + levels[ThreadLocalRandom.current().nextInt(levels.length)] + " request " + (++counter)
                + " served in " + ThreadLocalRandom.current().nextInt(2, 90) + " ms\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.debug("tail demo append failed: error={}", e.toString());
        }
    }

    private void poll() {
        try {
            if (!Files.exists(file)) {
                return;
            }
            long size = Files.size(file);
            if (size < position) {
                position = 0; // truncated or rotated: start over
            }
            if (size == position) {
                return;
            }
            if (!leading) {
                position = size; // another node is followed: its lines are the stream
                return;
            }
            List<String> lines = new ArrayList<>();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek(position);
                byte[] chunk = new byte[(int) Math.min(size - position, 1 << 20)];
                raf.readFully(chunk);
                int lastNewline = -1;
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] == '\n') {
                        String line = new String(chunk, lastNewline + 1, i - lastNewline - 1, StandardCharsets.UTF_8);
                        lines.add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line);
                        lastNewline = i;
                    }
                }
                position += lastNewline + 1; // a partial last line waits for its newline
            }
            for (int from = 0; from < lines.size(); from += MAX_LINES_PER_MESSAGE) {
                publish(lines.subList(from, Math.min(lines.size(), from + MAX_LINES_PER_MESSAGE)));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("tail demo poll failed: error={}", e.toString());
        }
    }

    private void publish(List<String> lines) {
        StringBuilder sb = new StringBuilder("{\"node\":").append(ProtocolCodec.quote(node)).append(",\"lines\":[");
        for (int i = 0; i < lines.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(ProtocolCodec.quote(lines.get(i)));
        }
        publisher.publish(TOPIC, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8), PublishSource.INTERNAL);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
