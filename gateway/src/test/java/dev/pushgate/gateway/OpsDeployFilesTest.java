package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pushgate.gateway.config.ConfigLoader;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment files (docker-compose.yml, deploy/prometheus, deploy/grafana, deploy/k8s and the kustomization)
 * cannot be run here (no Docker engine, no cluster), so this checks what can be checked without running them: they
 * parse; every GATEWAY_* variable is a real key with a valid value; ports, paths, service names, mounts, selectors
 * and shutdown timings refer to things that exist; compose builds one image; nginx keeps the operator endpoints off
 * the public side. That the dashboard's and the alert rules' series exist is checked by a real Prometheus
 * ({@code PrometheusServerTest}), the rules themselves by {@code promtool} ({@code PrometheusPromtoolTest}).
 */
class OpsDeployFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper JACKSON_YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    // ---- reading -------------------------------------------------------------------------------------------

    /** Every document of a YAML file, parsed by SnakeYAML (merge keys and anchors resolved, as compose does). */
    private static List<JsonNode> yaml(String path) throws IOException {
        String text = Files.readString(ROOT.resolve(path));
        // Jackson's YAML parser must accept it too (it is what the gateway reads its own config with).
        try (var it = JACKSON_YAML.readerFor(JsonNode.class).readValues(text)) {
            assertTrue(it.hasNext(), path + " is empty");
            it.readAll();
        }
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    private static JsonNode yamlOne(String path) throws IOException {
        List<JsonNode> docs = yaml(path);
        assertEquals(1, docs.size(), path);
        return docs.get(0);
    }

    private static List<JsonNode> kubernetes() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode resource : yamlOne("deploy/kustomization.yaml").path("resources")) {
            all.addAll(yaml("deploy/" + resource.asText()));
        }
        return all;
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    // ---- the gateway's own view ----------------------------------------------------------------------------

    private static boolean knownVariable(String var) {
        return ConfigLoader.keyOfEnvVar(var) != null;
    }

    /** Loads the gateway configuration a container would get from {@code env}; fails on unknown or bad values. */
    private static GatewayConfig configFrom(Map<String, String> env, String where) {
        for (String var : env.keySet()) {
            if (var.startsWith("GATEWAY_")) {
                assertTrue(knownVariable(var), where + ": " + var + " is not a gateway configuration variable");
            }
        }
        try {
            return ConfigLoader.load(null, env, Map.of());
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": the gateway would refuse this environment: " + e.getMessage(), e);
        }
    }

    private static int servingPort(GatewayConfig c) {
        return c.metricsPort() == 0 ? c.port() : c.metricsPort();
    }

    // ---- tests ---------------------------------------------------------------------------------------------

    @Test
    void everyFileParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT.resolve("deploy"))) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).toList();
        }
        assertTrue(files.size() >= 10, "deploy files: " + files);
        for (Path f : files) {
            String rel = ROOT.relativize(f).toString();
            if (rel.endsWith(".json")) {
                assertTrue(JSON.readTree(f.toFile()).isObject(), rel);
            } else {
                for (JsonNode doc : yaml(rel)) {
                    assertTrue(doc.isObject(), rel + ": every document is a mapping");
                }
            }
        }
        assertTrue(yamlOne("docker-compose.yml").path("services").isObject());
        for (JsonNode d : kubernetes()) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), d.toString());
            assertFalse(d.path("kind").asText().isEmpty(), d.toString());
            assertFalse(d.path("metadata").path("name").asText().isEmpty(), d.toString());
        }
        JsonNode kustomization = yamlOne("deploy/kustomization.yaml");
        for (JsonNode gen : kustomization.path("configMapGenerator")) {
            for (JsonNode file : gen.path("files")) {
                String source = file.asText().substring(file.asText().indexOf('=') + 1);
                assertTrue(Files.isRegularFile(ROOT.resolve("deploy").resolve(source)), "missing " + source);
            }
        }
    }

    @Test
    void composeWiresNodesPrometheusAndGrafanaTogether() throws IOException {
        JsonNode services = yamlOne("docker-compose.yml").path("services");
        Map<String, GatewayConfig> gateways = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> s : services.properties()) {
            Map<String, String> env = new HashMap<>();
            s.getValue().path("environment").properties().forEach(e -> env.put(e.getKey(),
                    interpolate(e.getValue().asText())));
            if (env.keySet().stream().noneMatch(k -> k.startsWith("GATEWAY_"))) {
                continue;
            }
            GatewayConfig c = configFrom(env, "compose service " + s.getKey());
            gateways.put(s.getKey(), c);
            for (JsonNode mapping : s.getValue().path("ports")) {
                String[] parts = mapping.asText().split(":");
                assertEquals(c.port(), Integer.parseInt(parts[parts.length - 1]), s.getKey() + " publishes its port");
            }
            String health = s.getValue().path("healthcheck").path("test").toString();
            assertTrue(health.contains("/dev/tcp/127.0.0.1/" + c.port()) && health.contains("/readyz"), health);
        }
        assertEquals(Set.of("gateway1", "gateway2"), gateways.keySet());
        assertEquals(2, gateways.values().stream().map(GatewayConfig::nodeId).distinct().count(), "distinct node ids");
        gateways.values().forEach(c -> assertEquals(GatewayConfig.Layer.REDIS, c.layer()));

        // Prometheus scrapes every gateway service on the port that serves /metrics, and loads the rules it mounts.
        JsonNode prometheus = services.path("prometheus");
        Map<String, String> promMounts = mounts(prometheus);
        String promConfigSource = sourceOf(promMounts, "/etc/prometheus/prometheus.yml");
        JsonNode promConfig = yamlOne(promConfigSource);
        for (JsonNode rules : promConfig.path("rule_files")) {
            assertTrue(promMounts.containsKey(rules.asText()), "rule file not mounted: " + rules.asText());
        }
        JsonNode job = job(promConfig, "pushgate");
        assertEquals("/metrics", job.path("metrics_path").asText("/metrics"));
        Set<String> scraped = new HashSet<>();
        for (JsonNode target : job.path("static_configs").get(0).path("targets")) {
            String[] hostPort = target.asText().split(":");
            GatewayConfig c = gateways.get(hostPort[0]);
            assertNotNull(c, "scrape target is not a gateway service: " + target.asText());
            assertEquals(servingPort(c), Integer.parseInt(hostPort[1]), target.asText());
            scraped.add(hostPort[0]);
        }
        assertEquals(gateways.keySet(), scraped, "every node is scraped");
        assertTrue(prometheus.path("ports").toString().contains(":9090"));

        // Grafana: provisioned datasource → the compose Prometheus; dashboards from the mounted folder.
        JsonNode grafana = services.path("grafana");
        Map<String, String> grafanaMounts = mounts(grafana);
        String provisioning = sourceOf(grafanaMounts, "/etc/grafana/provisioning");
        JsonNode datasource = yamlOne(provisioning + "/datasources/prometheus.yml").path("datasources").get(0);
        URI url = URI.create(datasource.path("url").asText());
        assertTrue(services.has(url.getHost()), "datasource host is a compose service: " + url);
        assertEquals(9090, url.getPort());
        JsonNode provider = yamlOne(provisioning + "/dashboards/pushgate.yml").path("providers").get(0);
        String dashboards = sourceOf(grafanaMounts, provider.path("options").path("path").asText());
        assertTrue(Files.isRegularFile(ROOT.resolve(dashboards).resolve("pushgate.json")));
        String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertTrue(Files.isRegularFile(ROOT.resolve(sourceOf(grafanaMounts, home.substring(0, home.lastIndexOf('/'))))
                .resolve(home.substring(home.lastIndexOf('/') + 1))), home);
        String uid = datasource.path("uid").asText();
        for (JsonNode ds : JSON.readTree(ROOT.resolve(dashboards).resolve("pushgate.json").toFile()).findValues("datasource")) {
            assertEquals(uid, ds.path("uid").asText(), "dashboard datasource is the provisioned one");
        }
    }

    @Test
    void composeBuildsOneImageAndPublishesThePortsTheReadmeNames() throws IOException {
        JsonNode services = yamlOne("docker-compose.yml").path("services");
        List<String> building = new ArrayList<>();
        Set<String> images = new HashSet<>();
        Map<String, Integer> published = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> s : services.properties()) {
            boolean gateway = s.getValue().path("environment").has("GATEWAY_LAYER");
            if (s.getValue().has("build")) {
                building.add(s.getKey());
            }
            if (gateway) {
                images.add(s.getValue().path("image").asText());
                if (!s.getValue().has("build")) {
                    assertEquals("never", s.getValue().path("pull_policy").asText(),
                            s.getKey() + " runs the image another service builds: it must not pull it");
                }
                for (JsonNode mapping : s.getValue().path("ports")) {
                    published.put(s.getKey(), Integer.parseInt(mapping.asText().split(":")[0]));
                }
            }
        }
        assertEquals(List.of("gateway1"), building, "one service builds the image");
        assertEquals(Set.of("pushgate-gateway:dev"), images, "every node runs the one image");
        assertEquals(Map.of("gateway1", 8081, "gateway2", 8082), published);
        assertTrue(services.path("nginx").path("ports").toString().contains("\"8080:8080\""));
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("the nodes also answer directly on 8081 and 8082"), "README's compose ports");
        // The two-node example without compose uses the same ports.
        for (int port : published.values()) {
            assertTrue(readme.contains("GATEWAY_PORT=" + port + " java -jar"), "README's two-node example on " + port);
        }
        assertTrue(Files.readString(ROOT.resolve("deploy/Dockerfile")).contains("-t pushgate-gateway:dev"));
    }

    @Test
    void nginxKeepsTheOperatorEndpointsOffThePublicSide() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nginx.conf")).replaceAll("#[^\n]*", "");
        Map<String, String> locations = new LinkedHashMap<>();
        Matcher m = Pattern.compile("location\\s+(=\\s*)?(\\S+)\\s*\\{([^}]*)}").matcher(conf);
        while (m.find()) {
            locations.put((m.group(1) == null ? "" : "= ") + m.group(2), m.group(3).trim());
        }
        for (String operatorOnly : List.of("/metrics", "/api/stats", "/admin")) {
            assertEquals("deny all;", locations.get("= " + operatorOnly), "nginx must refuse " + operatorOnly);
        }
        // Only the catch-all proxies; no other prefix or regex location could win over the exact matches.
        assertEquals(Set.of("/", "= /metrics", "= /api/stats", "= /admin"), locations.keySet());
        assertTrue(locations.get("/").contains("proxy_pass http://pushgate;"));
        // The compose file mounts this very file into nginx.
        assertEquals("deploy/nginx.conf", sourceOf(mounts(yamlOne("docker-compose.yml").path("services")
                .path("nginx")), "/etc/nginx/nginx.conf"));
    }

    @Test
    void kubernetesManifestsReferToEachOtherAndToTheGateway() throws IOException {
        List<JsonNode> docs = kubernetes();
        JsonNode kustomization = yamlOne("deploy/kustomization.yaml");
        for (JsonNode d : docs) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            if (!pod.isMissingNode()) {
                assertFalse(pod.path("enableServiceLinks").asBoolean(true),
                        d.path("metadata").path("name").asText() + ": enableServiceLinks must be false");
            }
            if (d.path("kind").asText().equals("Service")) {
                assertFalse(d.path("metadata").path("name").asText().equals("gateway"),
                        "a Service named gateway would inject GATEWAY_PORT=tcp://...");
            }
        }
        JsonNode deployment = find(docs, "Deployment", "pushgate");
        JsonNode podTemplate = deployment.path("spec").path("template");
        JsonNode container = podTemplate.path("spec").path("containers").get(0);
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.path("env")) {
            JsonNode from = e.path("valueFrom");
            if (from.has("secretKeyRef")) {
                String secret = from.path("secretKeyRef").path("name").asText();
                String key = from.path("secretKeyRef").path("key").asText();
                JsonNode gen = generator(kustomization, "secretGenerator", secret);
                String literal = null;
                for (JsonNode l : gen.path("literals")) {
                    if (l.asText().startsWith(key + "=")) {
                        literal = l.asText().substring(key.length() + 1);
                    }
                }
                assertNotNull(literal, "secret " + secret + " has no key " + key);
                env.put(e.path("name").asText(), literal);
            } else if (from.has("fieldRef")) {
                env.put(e.path("name").asText(), "pushgate-5d9c7b-x2k4q");
            } else {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        GatewayConfig c = configFrom(env, "k8s Deployment pushgate");
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode p : container.path("ports")) {
            ports.put(p.path("name").asText(), p.path("containerPort").asInt());
        }
        assertEquals(c.port(), ports.get("http"));
        assertTrue(c.metricsPort() > 0, "the metrics port stays off the Service");
        assertEquals(c.metricsPort(), ports.get("metrics"));
        assertEquals(Integer.toString(c.metricsPort()),
                podTemplate.path("metadata").path("annotations").path("prometheus.io/port").asText());
        // Probes: the gateway's health routes, on named ports that exist.
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode port = container.path(probe).path("httpGet").path("port");
            assertTrue(ports.containsKey(port.asText()), probe + " port " + port);
        }
        // Shutdown: preStop, then SIGTERM and the drain (shutdown.grace), all inside the grace period.
        List<String> preStop = new ArrayList<>();
        container.path("lifecycle").path("preStop").path("exec").path("command").forEach(n -> preStop.add(n.asText()));
        assertEquals("sleep", preStop.get(0));
        long sleep = Long.parseLong(preStop.get(1));
        long grace = podTemplate.path("spec").path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= sleep + c.shutdownGrace().toSeconds() + 1,
                "terminationGracePeriodSeconds " + grace + " < preStop " + sleep + " s + shutdown.grace " + c.shutdownGrace());
        // Service, PDB and HPA select or target the Deployment's pods.
        Map<String, String> podLabels = labels(podTemplate.path("metadata").path("labels"));
        JsonNode service = find(docs, "Service", "pushgate");
        assertTrue(podLabels.entrySet().containsAll(labels(service.path("spec").path("selector")).entrySet()));
        assertTrue(ports.containsKey(service.path("spec").path("ports").get(0).path("targetPort").asText()));
        JsonNode pdb = find(docs, "PodDisruptionBudget", "pushgate");
        assertTrue(podLabels.entrySet().containsAll(labels(pdb.path("spec").path("selector").path("matchLabels")).entrySet()));
        assertEquals(labels(deployment.path("spec").path("selector").path("matchLabels")),
                labels(pdb.path("spec").path("selector").path("matchLabels")));
        JsonNode hpa = find(docs, "HorizontalPodAutoscaler", "pushgate");
        assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
        assertEquals("pushgate", hpa.path("spec").path("scaleTargetRef").path("name").asText());
        assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 2);
        // Redis: the URI names the dev Redis Service and its port.
        JsonNode redis = find(docs, "Service", c.redis().uri().getHost());
        assertEquals(c.redis().uri().getPort(), redis.path("spec").path("ports").get(0).path("port").asInt());
        Map<String, String> redisPod = labels(find(docs, "Deployment", c.redis().uri().getHost())
                .path("spec").path("template").path("metadata").path("labels"));
        assertTrue(redisPod.entrySet().containsAll(labels(redis.path("spec").path("selector")).entrySet()));
        // Prometheus: its config and rules come from the generated ConfigMap, and it keeps the "metrics" port.
        JsonNode prom = find(docs, "Deployment", "pushgate-prometheus").path("spec").path("template").path("spec");
        String configMap = prom.path("volumes").get(0).path("configMap").path("name").asText();
        Map<String, String> files = new HashMap<>();
        for (JsonNode f : generator(kustomization, "configMapGenerator", configMap).path("files")) {
            String[] kv = f.asText().split("=", 2);
            files.put(kv[0], kv[1]);
        }
        String mountPath = prom.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText();
        assertTrue(prom.path("containers").get(0).path("args").toString()
                .contains("--config.file=" + mountPath + "/prometheus.yml"));
        JsonNode promConfig = yamlOne("deploy/" + files.get("prometheus.yml"));
        for (JsonNode rules : promConfig.path("rule_files")) {
            assertTrue(rules.asText().startsWith(mountPath + "/")
                    && files.containsKey(rules.asText().substring(mountPath.length() + 1)), rules.asText());
        }
        String keep = "";
        for (JsonNode relabel : job(promConfig, "pushgate").path("relabel_configs")) {
            String source = relabel.path("source_labels").get(0).asText();
            if (source.equals("__meta_kubernetes_pod_container_port_name")) {
                keep = relabel.path("regex").asText();
            } else if (source.equals("__meta_kubernetes_pod_label_app_kubernetes_io_name")) {
                assertEquals(podLabels.get("app.kubernetes.io/name"), relabel.path("regex").asText());
            }
        }
        assertTrue(ports.containsKey(keep), "prometheus keeps port " + keep);
        assertEquals(find(docs, "ServiceAccount", "pushgate-prometheus").path("metadata").path("name").asText(),
                prom.path("serviceAccountName").asText());
    }

    @Test
    void thePathsTheFilesProbeAndScrapeAreServed() throws Exception {
        Gateway g = TestGateways.start(Map.of("admin.enabled", "true"));
        try {
            for (String path : List.of("/readyz", "/healthz", "/metrics", "/admin")) {
                assertEquals(200, Http.get(TestGateways.httpUrl(g) + path).statusCode(), path);
            }
        } finally {
            g.close();
        }
    }

    @Test
    void heapAndDirectMemoryFitEveryContainerLimit() throws IOException {
        String imageFlags = String.join(" ", jvmOptions()) + " " + imageJavaOpts();

        JsonNode services = yamlOne("docker-compose.yml").path("services");
        for (String name : List.of("gateway1", "gateway2")) {
            JsonNode service = services.path(name);
            String flags = imageFlags + " " + service.path("environment").path("JAVA_OPTS").asText("");
            GatewayConfig c = configFrom(Map.of(), "compose " + name);
            assertMemoryFits("compose " + name, flags, bytes(service.path("mem_limit").asText()),
                    c.outbound().nodeBudget());
        }

        JsonNode container = find(kubernetes(), "Deployment", "pushgate").path("spec").path("template")
                .path("spec").path("containers").get(0);
        Map<String, String> vars = new HashMap<>();
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                vars.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        String podOverrides = vars.remove("JAVA_OPTS");
        assertMemoryFits("k8s Deployment pushgate", imageFlags + " " + (podOverrides == null ? "" : podOverrides),
                bytes(container.path("resources").path("limits").path("memory").asText()),
                configFrom(vars, "k8s Deployment pushgate").outbound().nodeBudget());
    }

    @Test
    void imageAndReadmeRunTheShippedJvmOptions() throws IOException {
        List<String> flags = jvmOptions();
        for (String flag : flags) {
            assertTrue(flag.startsWith("-") && !flag.contains(" "), "deploy/jvm.options: one flag per line: " + flag);
        }
        assertMemoryFits("deploy/jvm.options at 1 GiB", String.join(" ", flags), 1L << 30, 0);
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        assertTrue(dockerfile.contains("COPY deploy/jvm.options /app/jvm.options"), "the image holds deploy/jvm.options");
        assertTrue(dockerfile.contains("exec java @/app/jvm.options $JAVA_OPTS -jar /app/gateway.jar"),
                "the image runs java with /app/jvm.options, then JAVA_OPTS (overrides)");
        assertEquals("", imageJavaOpts().trim(), "JAVA_OPTS is for overrides only: the image sets none");
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("java @deploy/jvm.options -jar gateway/target/gateway.jar"),
                "README's production run command uses deploy/jvm.options");
    }

    /** The flags of deploy/jvm.options, in order (comment and blank lines left out). */
    private static List<String> jvmOptions() throws IOException {
        return Files.readAllLines(ROOT.resolve("deploy/jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The image's {@code ENV JAVA_OPTS} (empty when it sets none). */
    private static String imageJavaOpts() throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"").matcher(
                Files.readString(ROOT.resolve("deploy/Dockerfile")));
        return env.find() ? env.group(1) : "";
    }

    /** Heap + direct memory of {@code flags} (the last of a repeated flag wins, as in java) fit {@code limit}. */
    private static void assertMemoryFits(String where, String flags, long limit, long nodeBudget) {
        assertTrue(limit > 0, where + ": no container memory limit");
        String direct = last("-XX:MaxDirectMemorySize=(\\S+)", flags);
        assertTrue(direct != null, where + ": Netty's direct memory is not capped (-XX:MaxDirectMemorySize): " + flags);
        long directBytes = bytes(direct);
        String xmx = last("-Xmx(\\S+)", flags);
        String percent = last("-XX:MaxRAMPercentage=([0-9.]+)", flags);
        long heap;
        if (xmx != null) {
            heap = bytes(xmx);
        } else {
            assertTrue(percent != null, where + ": the heap is not capped (-Xmx or -XX:MaxRAMPercentage): " + flags);
            heap = (long) (limit * Double.parseDouble(percent) / 100);
        }
        assertTrue(heap + directBytes <= limit * 0.8, where + ": heap " + heap + " + direct " + directBytes
                + " leave less than 20% of the memory limit " + limit);
        long budget = nodeBudget > 0 ? nodeBudget : directBytes / 2;
        assertTrue(budget < directBytes, where + ": outbound.node-budget " + budget + " must stay below the direct "
                + "memory " + directBytes);
    }

    private static String last(String regex, String flags) {
        Matcher m = Pattern.compile(regex).matcher(flags);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /**
     * A memory quantity: Kubernetes' {@code 1Gi}/{@code 512Mi} (binary) and {@code 1G}/{@code 500M} (decimal), the
     * JVM's and Docker's {@code 1g}/{@code 256m}/{@code 262144k} (binary), or bytes.
     */
    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G|k|m|g)?[bB]?").matcher(quantity.trim());
        assertTrue(m.matches(), "not a memory quantity: " + quantity);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki", "k" -> n << 10;
            case "Mi", "m" -> n << 20;
            case "Gi", "g" -> n << 30;
            case "K" -> n * 1000;
            case "M" -> n * 1000_000;
            case "G" -> n * 1000_000_000;
            default -> n;
        };
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String interpolate(String value) {
        Matcher m = COMPOSE_VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = System.getenv(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(set != null ? set : m.group(3) != null ? m.group(3) : ""));
        }
        return m.appendTail(out).toString();
    }

    /** Container path → host path ({@code ./x:/y:ro}) of a compose service's bind mounts. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            assertTrue(parts[0].startsWith("./"), "bind mount from the repository: " + v.asText());
            assertTrue(Files.exists(ROOT.resolve(parts[0].substring(2))), "mounted path missing: " + parts[0]);
            m.put(parts[1], parts[0].substring(2));
        }
        return m;
    }

    /** The repository path mounted at (or above) {@code containerPath}. */
    private static String sourceOf(Map<String, String> mounts, String containerPath) {
        for (Map.Entry<String, String> e : mounts.entrySet()) {
            if (containerPath.equals(e.getKey())) {
                return e.getValue();
            }
            if (containerPath.startsWith(e.getKey() + "/")) {
                return e.getValue() + containerPath.substring(e.getKey().length());
            }
        }
        throw new AssertionError("nothing mounted at " + containerPath + " (mounts " + mounts + ")");
    }

    private static JsonNode job(JsonNode promConfig, String name) {
        for (JsonNode j : promConfig.path("scrape_configs")) {
            if (j.path("job_name").asText().equals(name)) {
                return j;
            }
        }
        throw new AssertionError("no scrape job " + name);
    }

    private static JsonNode generator(JsonNode kustomization, String kind, String name) {
        for (JsonNode g : kustomization.path(kind)) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("kustomization has no " + kind + " " + name);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        node.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        assertFalse(m.isEmpty(), "empty label set");
        return m;
    }

}
