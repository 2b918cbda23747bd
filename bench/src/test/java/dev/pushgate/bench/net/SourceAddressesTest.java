package dev.pushgate.bench.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SourceAddressesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void fewConnectionsLetTheKernelChoose() {
        SourceAddresses s = SourceAddresses.plan(List.of(), 1000, LOOPBACK);
        assertNull(s.forIndex(0));
        assertEquals(List.of(), s.addresses());
    }

    @Test
    void manyLoopbackConnectionsUseOneAddressPer28000() throws Exception {
        SourceAddresses s = SourceAddresses.plan(List.of(), 60_000, LOOPBACK);
        assertEquals(3, s.addresses().size());
        assertEquals(InetAddress.getByName("127.0.0.1"), s.forIndex(0));
        assertEquals(InetAddress.getByName("127.0.0.1"), s.forIndex(27_999));
        assertEquals(InetAddress.getByName("127.0.0.2"), s.forIndex(28_000));
        assertEquals(InetAddress.getByName("127.0.0.3"), s.forIndex(59_999));
    }

    @Test
    void explicitAddressesAreUsedRoundRobin() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.5");
        InetAddress b = InetAddress.getByName("127.0.0.6");
        SourceAddresses s = SourceAddresses.plan(List.of(a, b), 10, LOOPBACK);
        assertEquals(a, s.forIndex(0));
        assertEquals(b, s.forIndex(1));
        assertEquals(a, s.forIndex(2));
    }
}
