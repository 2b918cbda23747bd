package dev.pushgate.bench.cli;

import dev.pushgate.bench.dialect.Target;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out load: subscribers and their topics, how and how fast to publish, payload size, drain time, and the
 * credentials and addresses of the publish paths, and the subscribers' transport. {@code rate} and
 * {@code durationSeconds} are those of the fanout scenario (the ramp scenario has its own).
 */
public record LoadOptions(int subscribers, List<String> topics, PublishMode publish, int publishers, double rate,
                          double durationSeconds, double warmupSeconds, int payloadBytes, int batch, double drainSeconds, String apiKey,
                          URI redisUri, String redisPrefix, List<URI> publishUrls,
                          SubscribeTransport transport) {
    public LoadOptions {
        topics = List.copyOf(topics);
        publishUrls = List.copyOf(publishUrls);
    }

    static LoadOptions from(Args args, ConnectOptions connect, boolean fixedRate) {
        PublishMode mode = PublishMode.parse(args.string("publish", "ws"));
        if (mode == PublishMode.REDIS && connect.target() == Target.SOCKETIO) {
            throw new UsageException("--publish redis needs --target pushgate or uws (the Socket.IO adapter has its own format)");
        }
        SubscribeTransport transport = SubscribeTransport.parse(args.string("transport", "ws"));
        if (transport != SubscribeTransport.WS && connect.target() != Target.PUSHGATE) {
            throw new UsageException("--transport " + transport.label() + " needs --target pushgate");
        }
        String topic = args.string("topic", "chat.bench");
        int topicCount = args.integer("topics", 1, 1);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < topicCount; i++) {
            topics.add(topicCount == 1 ? topic : topic + "." + i);
        }
        List<URI> publishUrls = new ArrayList<>();
        for (String u : args.all("publish-url")) {
            publishUrls.add(URI.create(u));
        }
        if (publishUrls.isEmpty()) {
            for (URI ws : connect.urls()) {
                publishUrls.add(URI.create("http://" + ws.getHost() + ":" + (ws.getPort() > 0 ? ws.getPort() : 80)
                        + connect.target().dialect().httpPublishPath()));
            }
        }
        String envKey = System.getenv("GATEWAY_API_KEY");
        return new LoadOptions(
                args.integer("subscribers", 100, 1),
                topics,
                mode,
                args.integer("publishers", 1, 1),
                fixedRate ? args.decimal("rate", 1000, 0.001) : 0,
                fixedRate ? args.decimal("duration", 10, 0.1) : 0,
                args.decimal("warmup", 0, 0),
                args.integer("payload", 100, 1),
                args.integer("batch", 100, 1),
                args.decimal("drain", 2, 0),
                args.string("api-key", envKey),
                URI.create(args.string("redis", "redis://127.0.0.1:6379")),
                args.string("redis-prefix", "pushgate:topic:"),
                publishUrls,
                transport);
    }
}
