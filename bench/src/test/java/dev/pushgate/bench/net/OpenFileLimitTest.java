package dev.pushgate.bench.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenFileLimitTest {
    @Test
    void theHardLimitIsRead() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max processes             unlimited            unlimited            processes \n"
                + "Max open files            1024                 20000                files     \n";
        assertEquals(20000, OpenFileLimit.parse(limits));
        assertEquals(-1, OpenFileLimit.parse("Max open files            unlimited            unlimited  files\n"));
        assertEquals(-1, OpenFileLimit.parse(""));
    }

    @Test
    void aFewConnectionsNeedNoWarningAndTooManyDo() {
        assertNull(OpenFileLimit.warning(10));
        long limit = OpenFileLimit.current();
        if (limit > 0) {
            assertTrue(OpenFileLimit.warning(limit).contains("file descriptors"));
        }
    }
}
