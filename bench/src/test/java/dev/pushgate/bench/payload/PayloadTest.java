package dev.pushgate.bench.payload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadTest {
    @ParameterizedTest
    @ValueSource(ints = {60, 100, 1000, 65536})
    void payloadHasExactlyTheRequestedSize(int size) {
        ByteBuf buf = Unpooled.buffer();
        try {
            int written = new PayloadWriter(size).write(buf, 123_456_789L, 7, 1_700_000_000_123_456L);
            assertEquals(size, written);
            assertEquals(size, buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void payloadIsCompactJsonInFieldOrder() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new PayloadWriter(40).write(buf, 3, 1, 99);
            assertEquals("{\"n\":3,\"s\":1,\"t\":99,\"p\":\"xxxxxxxxxxxxx\"}", buf.toString(StandardCharsets.US_ASCII));
            assertEquals(40, buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void sizeBelowTheFixedPartGivesAnEmptyPadding() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new PayloadWriter(1).write(buf, 12, 0, 34);
            assertEquals("{\"n\":12,\"s\":0,\"t\":34,\"p\":\"\"}", buf.toString(StandardCharsets.US_ASCII));
        } finally {
            buf.release();
        }
    }

    @Test
    void scannerReadsThePayloadInsideAPushgateMessage() {
        ByteBuf frame = Unpooled.buffer();
        try {
            frame.writeCharSequence("{\"op\":\"message\",\"topic\":\"chat.bench\",\"seq\":17,\"data\":",
                    StandardCharsets.US_ASCII);
            new PayloadWriter(100).write(frame, 42, 3, 1_700_000_000_000_001L);
            frame.writeByte('}');
            PayloadScanner scanner = new PayloadScanner();
            assertTrue(scanner.scan(frame));
            assertEquals(42, scanner.n());
            assertEquals(3, scanner.stream());
            assertEquals(1_700_000_000_000_001L, scanner.micros());
            assertEquals(0, frame.readerIndex());
        } finally {
            frame.release();
        }
    }

    @Test
    void scannerReadsThePayloadInsideASocketIoEvent() {
        ByteBuf frame = Unpooled.copiedBuffer(
                "42[\"message\",{\"topic\":\"t\",\"data\":{\"n\":0,\"s\":12,\"t\":5,\"p\":\"xx\"}}]",
                StandardCharsets.US_ASCII);
        try {
            PayloadScanner scanner = new PayloadScanner();
            assertTrue(scanner.scan(frame));
            assertEquals(0, scanner.n());
            assertEquals(12, scanner.stream());
            assertEquals(5, scanner.micros());
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"op\":\"message\",\"data\":{\"hello\":1}}",
        "{\"n\":1,\"s\":0}",
        "{\"n\":\"1\",\"s\":0,\"t\":3}",
        "{\"n\":1,\"s\":0,\"t\":",
        "{\"n\":99999999999999999999,\"s\":0,\"t\":3}",
        ""
    })
    void scannerRefusesFramesWithoutACompletePayload(String text) {
        ByteBuf frame = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        try {
            assertFalse(new PayloadScanner().scan(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void asciiNumbersRoundTrip() {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (long v : new long[] {0, 9, 10, 99, 100, 1234567890123L, Long.MAX_VALUE}) {
                buf.clear();
                AsciiNumbers.write(buf, v);
                assertEquals(Long.toString(v), buf.toString(StandardCharsets.US_ASCII));
                assertEquals(v, AsciiNumbers.read(buf, 0, buf.writerIndex()));
                assertEquals(Long.toString(v).length(), AsciiNumbers.digits(v));
            }
        } finally {
            buf.release();
        }
    }
}
