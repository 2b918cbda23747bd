package dev.pushgate.bench.cli;

import dev.pushgate.bench.dialect.Target;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how to connect, and what to observe: target dialect, WebSocket URLs (round robin), event loop threads,
 * source addresses, concurrent handshakes, the time allowed to connect, and the gateway pids to sample.
 */
public record ConnectOptions(Target target, List<URI> urls, int threads, List<InetAddress> sourceIps,
                             int concurrency, int connectTimeoutSeconds, List<Long> pids) {
    public ConnectOptions {
        urls = List.copyOf(urls);
        sourceIps = List.copyOf(sourceIps);
        pids = List.copyOf(pids);
    }

    static ConnectOptions from(Args args) {
        Target target;
        try {
            target = Target.parse(args.string("target", "pushgate"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<URI> urls = new ArrayList<>();
        for (String u : args.all("url")) {
            urls.add(url(u));
        }
        if (urls.isEmpty()) {
            urls.add(URI.create(target.defaultUrl()));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = args.integer("threads", Math.max(1, Math.min(2, cores / 2)), 1);
        List<InetAddress> sources = new ArrayList<>();
        for (String ip : args.all("source-ips")) {
            if (!ip.equalsIgnoreCase("auto")) {
                sources.add(address(ip));
            }
        }
        List<Long> pids = new ArrayList<>();
        for (String pid : args.all("pid")) {
            try {
                pids.add(Long.parseLong(pid));
            } catch (NumberFormatException e) {
                throw new UsageException("--pid is not a process id: " + pid);
            }
        }
        return new ConnectOptions(target, urls, threads, sources, args.integer("connect-concurrency", 256, 1),
                args.integer("connect-timeout", 60, 1), pids);
    }

    private static URI url(String text) {
        try {
            URI uri = URI.create(text);
            if (!"ws".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException("--url must be ws://host:port/path: " + text);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url is not a URL: " + text);
        }
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new UsageException("--source-ips has an unknown address: " + ip);
        }
    }
}
