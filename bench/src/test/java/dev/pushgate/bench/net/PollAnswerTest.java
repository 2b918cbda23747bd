package dev.pushgate.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PollAnswerTest {
    private final List<String> frames = new ArrayList<>();

    @Test
    void severalMessagesAndTheToken() {
        String m1 = "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":7,\"data\":{\"n\":3,\"s\":0,\"t\":9,\"p\":\"x]}\"}}";
        String m2 = "{\"op\":\"gap\",\"topic\":\"bench.t\",\"epoch\":\"e\",\"seq\":9}";
        String m3 = "{\"op\":\"message\",\"topic\":\"bench.t\",\"seq\":8,\"data\":[1,{\"q\":\"\\\"]\"}]}";
        assertEquals("AQEKY2hh_-0", read("{\"messages\":[" + m1 + "," + m2 + "," + m3 + "],\"since\":\"AQEKY2hh_-0\"}"));
        assertEquals(List.of(m1, m2, m3), frames);
    }

    @Test
    void emptyMessagesWhitespaceAndKeysInAnyOrder() {
        assertEquals("T", read(" { \"since\" : \"T\" , \"other\": {\"a\":[1,2]}, \"messages\" : [ ] } "));
        assertEquals(List.of(), frames);
        assertEquals("T2", read("{\"since\":\"T2\",\"messages\":[ {\"op\":\"message\",\"n\":1} ,true]}"));
        assertEquals(List.of("{\"op\":\"message\",\"n\":1}", "true"), frames);
        assertNull(read("{}"));
    }

    @Test
    void aBrokenAnswerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> read("{\"messages\":[{\"op\":\"message\""));
        assertThrows(IllegalArgumentException.class, () -> read("[]"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"messages\":[1 2],\"since\":\"x\"}"));
    }

    private String read(String body) {
        frames.clear();
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        try {
            return PollAnswer.read(buf, f -> frames.add(f.toString(StandardCharsets.UTF_8)));
        } finally {
            buf.release();
        }
    }
}
