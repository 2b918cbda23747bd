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
 * as {@code {"lines":[...]}}. With no file configured it tails a demo log it appends to itself once a second.
 * Runs on its own thread: file reads block, event loops must not.
 */
public final class TailDemo implements AutoCloseable {
    /** The topic new lines are published to. */
    public static final String TOPIC = "demo.tail";
    private static final Logger log = LoggerFactory.getLogger(TailDemo.class);
    private static final int MAX_LINES_PER_MESSAGE = 200;
    private static final int MAX_LINE_CHARS = 2000;

    private final PublishService publisher;
    private final Path file;
    private final boolean synthetic;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-tail-demo");
        t.setDaemon(true);
        return t;
    });
    private long position;
    private long counter;

    private TailDemo(PublishService publisher, Path file, boolean synthetic) {
        this.publisher = publisher;
        this.file = file;
        this.synthetic = synthetic;
    }

    /** Tails {@code configured}, or a demo log of its own when it is empty. */
    public static TailDemo start(PublishService publisher, String configured) {
        try {
            boolean synthetic = configured == null || configured.isBlank();
            Path file = synthetic ? Files.createTempFile("pushgate-demo-", ".log") : Path.of(configured);
            TailDemo demo = new TailDemo(publisher, file, synthetic);
            demo.position = Files.exists(file) ? Files.size(file) : 0;
            if (synthetic) {
                file.toFile().deleteOnExit();
                demo.timer.scheduleWithFixedDelay(demo::appendDemoLine, 1, 1, TimeUnit.SECONDS);
            }
            demo.timer.scheduleWithFixedDelay(demo::poll, 250, 250, TimeUnit.MILLISECONDS);
            log.info("tail demo: file={}", file);
            return demo;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the tail demo: " + e.getMessage(), e);
        }
    }

    private void appendDemoLine() {
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
        StringBuilder sb = new StringBuilder("{\"lines\":[");
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
