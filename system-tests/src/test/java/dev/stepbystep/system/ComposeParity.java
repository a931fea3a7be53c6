package dev.stepbystep.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dev/prod parity rules for a compose file (factor X), as a list of violations:
 * <ul>
 * <li>a service built from one of our images sets only variables that image's application
 * reads (a misspelt name would otherwise be ignored in silence);</li>
 * <li>each sets the variables it cannot run correctly in compose without;</li>
 * <li>PostgreSQL and Redis run the same major versions as RDS and ElastiCache in deploy/.</li>
 * </ul>
 * "Reads" is taken from the application's own configuration: every {@code ${VAR...}} in the
 * shared and the service's properties, and the environment form of the service's own keys.
 */
final class ComposeParity {

    private static final Pattern IMAGE = Pattern.compile("stepbystep/([a-z-]+):.*");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Set<String> EVERY_APP = Set.of("POSTGRES_SERVICE_HOST", "REDIS_SERVICE_HOST", "SECRET_KEY");
    private static final Map<String, Set<String>> BY_MODULE = Map.of(
            "web-service", Set.of("FRONTEND_URL"),
            "worker-service", Set.of("EMAIL_HOST", "EMAIL_PORT", "FRONTEND_URL"),
            "beat-service", Set.of());

    private final Path root;

    ComposeParity(Path root) {
        this.root = root;
    }

    List<String> check(Path composeFile) {
        List<String> violations = new ArrayList<>();
        Map<String, Object> compose = Repo.yaml(composeFile);
        Map<String, Object> services = map(compose.get("services"));
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String service = entry.getKey();
            Map<String, Object> spec = map(entry.getValue());
            Matcher image = IMAGE.matcher(String.valueOf(spec.getOrDefault("image", "")));
            if (!image.matches()) {
                continue;
            }
            String module = image.group(1);
            if (!BY_MODULE.containsKey(module)) {
                violations.add(service + ": image of unknown module '" + module + "'");
                continue;
            }
            Set<String> reads = variablesRead(module);
            Map<String, String> env = environment(spec.get("environment"));
            for (String name : env.keySet()) {
                if (!reads.contains(name)) {
                    violations.add(service + ": sets " + name + ", which " + module + " does not read");
                }
            }
            Set<String> required = new LinkedHashSet<>(EVERY_APP);
            required.addAll(BY_MODULE.get(module));
            for (String name : required) {
                if (!env.containsKey(name)) {
                    violations.add(service + ": does not set " + name + ", which it needs in compose");
                }
            }
            if (!env.containsKey("POSTGRES_PASSWORD") && !env.containsKey("DB_SECRET_NAME")) {
                violations.add(service + ": sets neither POSTGRES_PASSWORD nor DB_SECRET_NAME");
            }
        }
        Path base = root.resolve("deploy/base.yaml");
        if (Files.exists(base)) {
            Map<String, Object> template = Repo.yaml(base);
            compareMajor(violations, "PostgreSQL", imageMajor(services, "postgres"), engineMajor(template, "AWS::RDS::DBInstance"));
            compareMajor(violations, "Redis", imageMajor(services, "redis"), engineMajor(template, "AWS::ElastiCache::ReplicationGroup"));
        }
        return violations;
    }

    Set<String> variablesRead(String module) {
        Set<String> names = new LinkedHashSet<>();
        names.add("JDK_JAVA_OPTIONS"); // read by the java launcher of every service: the heap size
        for (Path props : List.of(root.resolve("shared-model/src/main/resources/META-INF/microprofile-config.properties"),
                root.resolve(module).resolve("src/main/resources/application.properties"))) {
            if (!Files.exists(props)) {
                continue;
            }
            for (String line : Repo.read(props).lines().toList()) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || !trimmed.contains("=")) {
                    continue;
                }
                Matcher ref = REFERENCE.matcher(trimmed);
                while (ref.find()) {
                    names.add(ref.group(1));
                }
                String key = trimmed.substring(0, trimmed.indexOf('=')).strip();
                if (props.endsWith("application.properties") && !key.startsWith("quarkus.") && !key.startsWith("%")) {
                    names.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static void compareMajor(List<String> violations, String what, Optional<String> compose, Optional<String> deploy) {
        if (compose.isEmpty() || deploy.isEmpty()) {
            violations.add(what + ": version not found in " + (compose.isEmpty() ? "docker-compose.yml" : "deploy/base.yaml"));
        } else if (!compose.get().equals(deploy.get())) {
            violations.add(what + ": compose runs major " + compose.get() + ", deploy/ runs major " + deploy.get());
        }
    }

    private static Optional<String> imageMajor(Map<String, Object> services, String service) {
        Object image = map(services.get(service)).get("image");
        if (image == null || !image.toString().contains(":")) {
            return Optional.empty();
        }
        return Optional.of(image.toString().substring(image.toString().indexOf(':') + 1).split("[.-]")[0]);
    }

    private static Optional<String> engineMajor(Map<String, Object> template, String type) {
        Map<String, Object> parameters = map(template.get("Parameters"));
        for (Object resource : map(template.get("Resources")).values()) {
            Map<String, Object> r = map(resource);
            if (type.equals(r.get("Type"))) {
                Object version = map(r.get("Properties")).get("EngineVersion");
                if (version instanceof Map<?, ?> ref && ref.get("Ref") != null) {
                    version = map(parameters.get(ref.get("Ref").toString())).get("Default");
                }
                return version == null ? Optional.empty() : Optional.of(version.toString().split("\\.")[0]);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> environment(Object env) {
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (!"<<".equals(k)) {
                    result.put(k.toString(), v == null ? "" : v.toString());
                }
            });
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String s = item.toString();
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
