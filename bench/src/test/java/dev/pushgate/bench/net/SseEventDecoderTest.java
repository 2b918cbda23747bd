package dev.pushgate.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SseEventDecoderTest {
    private static final String STREAM = "retry: 2000\n\n"
            + "id: AQEKY2hhdC5sb2JieQEM\n"
            + "data: {\"op\":\"ack\",\"topic\":\"bench.t\",\"epoch\":\"9f\",\"seq\":0}\n\n"
            + ": heartbeat\n\n"
            + "id: AQEKY2hhdC5sb2JieQIM\n"
            + "data: {\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":1,\"data\":{\"n\":0,\"s\":0,\"t\":5}}\n\n"
            + "data: {\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":2,\"data\":{\"n\":1,\"s\":0,\"t\":6}}\n\n";

    private final List<String> events = new ArrayList<>();

    @Test
    void oneReadWithSeveralEvents() {
        SseEventDecoder d = new SseEventDecoder(ByteBufAllocator.DEFAULT, 1024);
        try {
            feed(d, STREAM);
        } finally {
            d.release();
        }
        assertEquals(expected(), events);
    }

    @Test
    void eventsSplitAnywhereAcrossReads() {
        for (int cut = 1; cut < STREAM.length(); cut++) {
            events.clear();
            SseEventDecoder d = new SseEventDecoder(ByteBufAllocator.DEFAULT, 1024);
            try {
                feed(d, STREAM.substring(0, cut));
                feed(d, STREAM.substring(cut));
            } finally {
                d.release();
            }
            assertEquals(expected(), events, "split at " + cut);
        }
    }

    @Test
    void oneByteAtATimeWithCrLfAndMultiLineData() {
        String stream = "data: {\"a\":\r\ndata:1}\r\n\r\nid: x\r\n\r\n";
        SseEventDecoder d = new SseEventDecoder(ByteBufAllocator.DEFAULT, 1024);
        try {
            for (char c : stream.toCharArray()) {
                feed(d, String.valueOf(c));
            }
        } finally {
            d.release();
        }
        assertEquals(List.of("{\"a\":\n1}"), events, "data lines join with \\n; an event without data is dropped");
    }

    @Test
    void anUnendingLineIsRefused() {
        SseEventDecoder d = new SseEventDecoder(ByteBufAllocator.DEFAULT, 16);
        try {
            assertThrows(IllegalStateException.class, () -> feed(d, "data: " + "x".repeat(32)));
        } finally {
            d.release();
        }
    }

    private void feed(SseEventDecoder d, String text) {
        ByteBuf chunk = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            d.feed(chunk, data -> events.add(data.toString(StandardCharsets.UTF_8)));
        } finally {
            chunk.release();
        }
    }

    private static List<String> expected() {
        return List.of("{\"op\":\"ack\",\"topic\":\"bench.t\",\"epoch\":\"9f\",\"seq\":0}",
                "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":1,\"data\":{\"n\":0,\"s\":0,\"t\":5}}",
                "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":2,\"data\":{\"n\":1,\"s\":0,\"t\":6}}");
    }
}
