package dev.pushgate.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;

import java.util.List;
import java.util.Map;

/**
 * The machine-readable result: one JSON object per run, printed after {@code RESULT }. Field names are
 * snake_case; latencies are in microseconds, memory in bytes, rates per second. Thread-safe.
 */
public final class ResultJson {
    private final ObjectMapper mapper = new ObjectMapper();

    /** The result of a fanout run. */
    public String fanout(FanoutResult r) {
        ObjectNode root = setup(r.setup());
        root.set("subscribe", connect(r.subscribe()));
        window(root, r.window());
        root.put("ok", r.subscribe().ready() > 0 && r.window().deliveries().unique() > 0);
        return root.toString();
    }

    /** The result of a ramp run. */
    public String ramp(RampResult r) {
        ObjectNode root = setup(r.setup());
        root.set("subscribe", connect(r.subscribe()));
        ArrayNode steps = root.putArray("steps");
        for (RampResult.Step s : r.steps()) {
            ObjectNode step = steps.addObject();
            window(step, s.window());
            step.put("passed", s.passed());
            if (!s.passed()) {
                step.put("failure", s.failure());
            }
        }
        root.put("stop_reason", r.stopReason());
        if (r.best() != null) {
            root.put("best_rate", r.best().window().targetRate());
            root.put("best_sent_per_s", round(r.best().window().sentPerSecond()));
            root.put("best_delivered_per_s", round(r.best().window().deliveredPerSecond()));
            root.put("best_p99_us", r.best().window().latency().p99());
        } else {
            root.putNull("best_rate");
        }
        root.put("ok", r.best() != null);
        return root.toString();
    }

    /** The result of an overload run. */
    public String overload(OverloadResult r) {
        ObjectNode root = setup(r.setup());
        root.set("subscribe", connect(r.subscribe()));
        ObjectNode phases = root.putObject("phases");
        for (OverloadResult.Phase p : r.phases()) {
            window(phases.putObject(p.name()), p.window());
        }
        root.put("expected", r.expected());
        root.put("unique", r.unique());
        root.put("lost", r.lost());
        root.put("normal_second_p99_us", r.normalSecondP99());
        root.put("recovered_within", r.recoveredWithin());
        putMaybe(root, "recovery_s", r.recoverySeconds());
        ObjectNode slow = root.putObject("slow");
        slow.put("subscribers", r.slow().subscribers());
        slow.put("read_bytes_per_s", r.slow().readBytesPerSecond());
        slow.put("expected", r.slow().expected());
        slow.put("unique", r.slow().unique());
        slow.put("disconnects", r.slow().disconnects());
        slow.set("latency_us", latency(r.slow().latency()));
        ArrayNode gateways = root.putArray("gateway_metrics");
        for (OverloadResult.Gateway g : r.gateways()) {
            ObjectNode n = gateways.addObject();
            n.put("url", g.url());
            n.put("budget_limit", g.budgetLimit());
            n.put("budget_used_max", g.budgetUsedMax());
            n.put("heap_used_max", g.heapUsedMax());
            n.put("direct_used_max", g.directUsedMax());
            n.put("gc_pause_max_s", g.gcPauseMaxSeconds());
            n.put("gc_pause_s", round(g.gcPauseSeconds()));
            n.put("gc_pauses", g.gcPauses());
            ObjectNode dropped = n.putObject("dropped");
            g.dropped().forEach(dropped::put);
            n.put("slow_closes", g.slowCloses());
        }
        ArrayNode seconds = root.putArray("seconds");
        for (OverloadResult.Second s : r.seconds()) {
            ObjectNode n = seconds.addObject();
            n.put("phase", s.phase());
            n.put("t", round(s.elapsed()));
            n.put("sent", s.sent());
            n.put("delivered", s.delivered());
            n.put("p99_us", s.p99Micros());
            n.put("slow_delivered", s.slowDelivered());
            n.put("budget_used", s.budgetUsed());
            n.put("heap_used", s.heapUsed());
            n.put("direct_used", s.directUsed());
            n.put("dropped", s.dropped());
            n.put("slow_closes", s.slowCloses());
        }
        root.put("ok", r.unique() > 0);
        return root.toString();
    }

    /** The result of a connections run. */
    public String connections(ConnectionsResult r) {
        ObjectNode root = setup(r.setup());
        root.set("connect", connect(r.connect()));
        root.put("open_after_hold", r.openAfterHold());
        ArrayNode gateways = root.putArray("gateways");
        for (ConnectionsResult.Memory m : r.memory()) {
            ObjectNode g = gateways.addObject();
            g.put("pid", m.pid());
            g.put("rss_before", m.rssBefore());
            g.put("rss_after", m.rssAfter());
            putMaybe(g, "rss_per_conn", m.rssPerConnection());
            g.put("heap_before", m.heapBefore());
            g.put("heap_after", m.heapAfter());
            putMaybe(g, "heap_per_conn", m.heapPerConnection());
        }
        root.put("ok", r.connect().ready() > 0);
        return root.toString();
    }

    private ObjectNode setup(RunSetup s) {
        ObjectNode root = mapper.createObjectNode();
        root.put("scenario", s.scenario());
        root.put("target", s.target());
        if (s.publish() != null) {
            root.put("publish", s.publish());
        }
        ArrayNode urls = root.putArray("urls");
        s.urls().forEach(urls::add);
        root.put("subscribers", s.subscribers());
        root.put("topics", s.topics());
        root.put("publishers", s.publishers());
        root.put("payload_bytes", s.payloadBytes());
        root.put("threads", s.threads());
        root.put("transport", s.transport());
        root.put("subscribe_via", s.subscribeVia());
        return root;
    }

    private ObjectNode connect(ConnectResult c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("requested", c.requested());
        n.put("ready", c.ready());
        n.put("failed", c.failed());
        ObjectNode reasons = n.putObject("failures");
        for (Map.Entry<String, Long> e : c.failures().entrySet()) {
            reasons.put(e.getKey(), e.getValue());
        }
        n.put("seconds", round(c.seconds()));
        n.put("per_s", round(c.perSecond()));
        n.set("handshake_us", latency(c.handshake()));
        return n;
    }

    private void window(ObjectNode n, WindowResult w) {
        n.put("rate", w.targetRate());
        n.put("publish_seconds", round(w.publishSeconds()));
        n.put("sent", w.sent());
        n.put("accepted", w.accepted());
        n.put("publish_failed", w.publishFailed());
        n.put("sent_per_s", round(w.sentPerSecond()));
        n.put("expected", w.expected());
        n.put("received", w.deliveries().received());
        n.put("unique", w.deliveries().unique());
        n.put("lost", w.lost());
        n.put("loss_pct", round(w.lossPct()));
        n.put("duplicates", w.deliveries().duplicates());
        n.put("out_of_order", w.deliveries().late());
        n.put("malformed", w.deliveries().malformed());
        n.put("disconnects", w.deliveries().disconnects());
        n.put("delivered_per_s", round(w.deliveredPerSecond()));
        n.set("latency_us", latency(w.latency()));
        n.set("gateways", processes(w.processes()));
        if (w.bench() != null) {
            n.put("bench_cpu_avg_pct", round(w.bench().cpuAvgPct()));
            n.put("bench_cpu_max_pct", round(w.bench().cpuMaxPct()));
        }
    }

    private ObjectNode latency(Latency l) {
        ObjectNode n = mapper.createObjectNode();
        n.put("count", l.count());
        n.put("p50", l.p50());
        n.put("p90", l.p90());
        n.put("p99", l.p99());
        n.put("p999", l.p999());
        n.put("max", l.max());
        n.put("mean", round(l.mean()));
        return n;
    }

    private ArrayNode processes(List<ProcessSample> samples) {
        ArrayNode a = mapper.createArrayNode();
        for (ProcessSample p : samples) {
            ObjectNode n = a.addObject();
            n.put("pid", p.pid());
            n.put("cpu_avg_pct", round(p.cpuAvgPct()));
            n.put("cpu_max_pct", round(p.cpuMaxPct()));
            n.put("rss_max", p.rssMaxBytes());
            n.put("rss_end", p.rssBytes());
            n.put("alive", p.alive());
        }
        return a;
    }

    private static void putMaybe(ObjectNode n, String field, double value) {
        if (Double.isNaN(value)) {
            n.putNull(field);
        } else {
            n.put(field, round(value));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
