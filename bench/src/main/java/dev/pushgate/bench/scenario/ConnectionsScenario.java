package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.cli.ConnectionsOptions;
import dev.pushgate.bench.dialect.Target;
import dev.pushgate.bench.load.ConnectLauncher;
import dev.pushgate.bench.load.SubscriberContext;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.net.OpenFileLimit;
import dev.pushgate.bench.net.SourceAddresses;
import dev.pushgate.bench.net.WebSocketConnector;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.ConnectionsResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.ReportText;
import dev.pushgate.bench.report.ResultJson;
import dev.pushgate.bench.report.RunSetup;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.HeapProbe;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.stats.MicroClock;
import dev.pushgate.bench.stats.ProcessSampler;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Opens N idle (optionally subscribed) connections, holds them, and reports the handshake rate, failures and the
 * gateways' memory per connection: RSS from {@code /proc}, heap after a full GC from {@code jcmd} when allowed.
 */
public final class ConnectionsScenario {
    private static final long HOLD_REPORT_MILLIS = 1000;

    private final BenchOptions options;

    public ConnectionsScenario(BenchOptions options) {
        this.options = options;
    }

    /** Runs the scenario; returns the exit status (0 when any connection opened). */
    public int run(NettyTransport transport, Console console, RunControl control) throws Exception {
        ConnectionsOptions c = options.connections();
        String fdWarning = OpenFileLimit.warning(c.connections());
        if (fdWarning != null) {
            console.error(fdWarning);
        }
        List<Long> pids = options.connect().pids();
        HeapProbe heap = HeapProbe.locate();
        // jcmd attaches by sending SIGQUIT, which ends a Node process: only a JVM target is probed that way
        boolean jcmd = c.jcmd() && options.connect().target() == Target.PUSHGATE;
        List<long[]> before = memory(pids, heap, jcmd, console);

        WebSocketConnector ws = new WebSocketConnector(transport, options.connect().target().dialect(),
                options.connect().connectTimeoutSeconds() * 1000);
        SourceAddresses sources = SourceAddresses.plan(options.connect().sourceIps(), c.connections(),
                InetAddress.getByName(options.connect().urls().get(0).getHost()));
        if (!sources.addresses().isEmpty()) {
            console.info("source addresses: " + sources.addresses().stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(",")));
        }
        ConnectLauncher launcher = new ConnectLauncher(ws, options.connect().urls(), sources,
                new SubscriberContext(ws.dialect(), MicroClock.system(), new LatencyRecorder(), new DeliveryStats(),
                        1),
                List.of(c.topic()), c.subscribe(), c.connections(), options.connect().concurrency());
        console.info(String.format("opening %d %s connections ...", c.connections(),
                c.subscribe() ? "subscribed" : "idle"));
        ConnectResult opened = Connecting.run(launcher, options.connect().connectTimeoutSeconds(), console, control);
        try {
            long holdEnd = System.nanoTime() + (long) (c.holdSeconds() * 1e9);
            ProcessSampler sampler = new ProcessSampler(pids);
            while (System.nanoTime() < holdEnd && !control.pause(Math.min(HOLD_REPORT_MILLIS,
                    (holdEnd - System.nanoTime()) / 1_000_000))) {
                sampler.sample().forEach(p -> console.info(String.format("holding: open %d  gateway %d rss %s",
                        launcher.open(), p.pid(), ReportText.bytes(p.rssBytes()))));
            }
            int openAfterHold = launcher.open();
            List<long[]> after = memory(pids, heap, jcmd, console);
            List<ConnectionsResult.Memory> memory = new ArrayList<>();
            for (int i = 0; i < pids.size(); i++) {
                memory.add(new ConnectionsResult.Memory(pids.get(i), before.get(i)[0], after.get(i)[0],
                        before.get(i)[1], after.get(i)[1], openAfterHold));
            }
            RunSetup setup = new RunSetup(options.scenario().label(), options.connect().target().label(), null,
                    options.connect().urls().stream().map(URI::toString).toList(), c.connections(), 1, 0, 0,
                    options.connect().threads(), transport.name(), "ws");
            ConnectionsResult result = new ConnectionsResult(setup, opened, openAfterHold, memory);
            console.summary(ReportText.connections(result));
            console.result(new ResultJson().connections(result));
            return opened.ready() > 0 ? 0 : 1;
        } finally {
            launcher.closeAll(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Per pid: {rss, heap} in bytes ({@code -1} unknown). With jcmd, RSS is read after the full GC, so the before
     * and after figures both follow a GC (a GC can uncommit heap and shrink RSS by more than the connections use).
     */
    private static List<long[]> memory(List<Long> pids, HeapProbe heap, boolean jcmd, Console console) {
        List<long[]> out = new ArrayList<>();
        for (long pid : pids) {
            long heapBytes = -1;
            if (jcmd) {
                console.info("reading heap of pid " + pid + " (jcmd GC.run + GC.heap_info) ...");
                heapBytes = heap.usedBytes(pid, true);
            }
            out.add(new long[] {ProcessSampler.rssBytes(pid), heapBytes});
        }
        return out;
    }
}
