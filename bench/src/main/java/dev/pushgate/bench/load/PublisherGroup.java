package dev.pushgate.bench.load;

import dev.pushgate.bench.net.HttpConnector;
import dev.pushgate.bench.net.WebSocketConnector;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.EventLoopGroup;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publishers of a run, one stream each, sharing the total rate equally. Created by one of the factory methods
 * for the publish mode; {@link #close()} releases connections (and lettuce's resources for Redis).
 */
public final class PublisherGroup implements AutoCloseable {
    private final List<Publisher> publishers;
    private final AutoCloseable resources;

    private PublisherGroup(List<Publisher> publishers, AutoCloseable resources) {
        this.publishers = List.copyOf(publishers);
        this.resources = resources;
    }

    /** {@code count} WebSocket publishers over {@code urls} round robin. */
    public static PublisherGroup webSocket(WebSocketConnector connector, List<URI> urls, PublishContext context,
                                           int count) {
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new WsPublisher(connector, urls.get(i % urls.size()), context, i));
        }
        return new PublisherGroup(list, () -> { });
    }

    /** {@code count} HTTP publishers posting to {@code publishUrls} round robin, {@code batch} messages at most. */
    public static PublisherGroup http(HttpConnector connector, List<URI> publishUrls, String apiKey,
                                      PublishContext context, int count, int batch) {
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new HttpPublisher(connector, publishUrls.get(i % publishUrls.size()), apiKey, context, i, batch));
        }
        return new PublisherGroup(list, () -> { });
    }

    /** {@code count} Redis publishers, one connection each, paced on the loops of {@code group}. */
    public static PublisherGroup redis(URI redisUri, String prefix, EventLoopGroup group, PublishContext context,
                                       int count) {
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .build();
        RedisClient client = RedisClient.create(resources);
        RedisURI uri = RedisURI.create(redisUri);
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new RedisPublisher(client, uri, prefix, group.next(), context, i));
        }
        return new PublisherGroup(list, () -> {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        });
    }

    /** Connects every publisher and waits up to {@code timeout}; throws when one cannot connect. */
    public void connect(long timeout, TimeUnit unit) throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (Publisher p : publishers) {
            futures.add(p.connect());
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(timeout, unit);
    }

    /**
     * Starts publishing {@code ratePerSecond} messages a second in total for {@code seconds}, every publisher
     * taking an equal share, all starting together at {@code startNanos}.
     */
    public void start(double ratePerSecond, double seconds, long startNanos) {
        double share = ratePerSecond / publishers.size();
        long messages = Math.max(1, Math.round(share * seconds));
        for (Publisher p : publishers) {
            p.start(new PublishPacer(share, startNanos, messages));
        }
    }

    /** Whether every publisher has issued all its messages (or can no longer send). */
    public boolean finished() {
        for (Publisher p : publishers) {
            if (!p.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Stops every publisher's timer. */
    public void stop() {
        publishers.forEach(Publisher::stop);
    }

    public int size() {
        return publishers.size();
    }

    @Override
    public void close() throws Exception {
        publishers.forEach(Publisher::close);
        resources.close();
    }
}
