package dev.pushgate.bench.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessProbesTest {
    @Test
    void cpuTicksAreUtimePlusStimeCountedAfterTheCommandName() {
        String stat = "4242 (java (my) app) S 1 4242 4242 0 -1 4194560 1234 0 5 0 700 300 0 0 20 0 40 0 100 "
                + "5000000 3000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertEquals(1000, ProcStat.cpuTicks(stat));
        assertEquals(-1, ProcStat.cpuTicks("garbage"));
        assertEquals(-1, ProcStat.cpuTicks("1 (x) S 1 2"));
    }

    @Test
    void statusValuesAreReadInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  204800 kB\nThreads:\t42\n";
        assertEquals(204800L * 1024, ProcStat.statusBytes(status, "VmRSS"));
        assertEquals(42, ProcStat.statusBytes(status, "Threads"));
        assertEquals(-1, ProcStat.statusBytes(status, "VmSwap"));
    }

    @Test
    void heapInfoOfTheCommonCollectorsIsParsed() {
        String g1 = "12345:\n garbage-first heap   total 262144K, used 23456K [0x00000000f0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n";
        String zgc = "12345:\n ZHeap           used 86M, capacity 512M, max capacity 4096M\n";
        String parallel = "12345:\n PSYoungGen      total 76288K, used 3932K [0x...)\n ParOldGen       total 175104K, used 0K\n";
        assertEquals(23456L * 1024, HeapProbe.parseUsed(g1));
        assertEquals(86L * 1024 * 1024, HeapProbe.parseUsed(zgc));
        assertEquals(3932L * 1024, HeapProbe.parseUsed(parallel));
        assertEquals(-1, HeapProbe.parseUsed("Could not attach"));
    }

    @Test
    void thisProcessCanBeSampled() {
        long self = ProcessHandle.current().pid();
        ProcessSampler sampler = new ProcessSampler(List.of(self));
        ProcessSampler.ProcessSample sample = sampler.sample().get(0);
        assertTrue(sample.alive());
        assertTrue(sample.rssBytes() > 0);
        assertTrue(ProcessSampler.rssBytes(self) > 0);
    }

    @Test
    void aMissingProcessIsReportedAsNotAlive() {
        ProcessSampler sampler = new ProcessSampler(List.of(Long.MAX_VALUE));
        ProcessSampler.ProcessSample sample = sampler.sample().get(0);
        assertEquals(false, sample.alive());
        assertEquals(-1, sample.rssBytes());
    }

    @Test
    void failureReasonsUseTheRootCause() {
        FailureCounts counts = new FailureCounts();
        counts.count(new RuntimeException(new java.net.ConnectException("refused")));
        counts.count((Throwable) null);
        counts.count("bad_topic");
        assertEquals(3, counts.total());
        assertEquals(1L, counts.snapshot().get("ConnectException"));
        assertEquals(1L, counts.snapshot().get("closed"));
    }
}
