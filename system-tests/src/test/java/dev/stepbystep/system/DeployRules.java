package dev.stepbystep.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.stepbystep.system.ComposeParity.map;

/**
 * Our own rules over a CloudFormation template, beyond what cfn-lint knows (the seed's CDK
 * constructs broke each of them): deployment circuit breaker with rollback on every ECS service,
 * no IAM action with a wildcard, log retention from a parameter, the worker's 120 s stop timeout,
 * no secret value in a container's plain environment, only variables the service reads, and a heap
 * size set on purpose for each service ({@code JDK_JAVA_OPTIONS} with {@code -Xmx}); and
 * for the pipeline: ECR repositories with immutable tags, scan on push and a lifecycle policy, and
 * every role GitHub's OIDC tokens may assume bound to an audience and to one repository's branch,
 * tag or environment (never {@code repo:owner/name:*}); and every alarm notifies, in and out of
 * alarm.
 */
final class DeployRules {

    /** Names whose values are secrets: they may only arrive through a container's "Secrets". */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET_KEY|TOKEN|ACCESS_KEY|API_KEY).*");
    /** Quarkus' own variables the templates may set beyond docs/configuration.md's (which allows QUARKUS_*). */
    private static final Set<String> QUARKUS_OVERRIDES = Set.of("QUARKUS_REDIS_HOSTS");
    /**
     * What a GitHub token's subject may be bound to: one repository (owner/name, or a template
     * parameter or variable, whose AllowedPattern has no wildcard), then a ref or an environment.
     */
    private static final Pattern GITHUB_SUBJECT = Pattern.compile(
            "repo:([^*?:/$]+/[^*?:/$]+|\\$\\{[A-Za-z0-9]+\\}):(ref:refs/(heads|tags)/|environment:)[^*?].*");
    private static final String GITHUB_ISSUER = "token.actions.githubusercontent.com";
    private static final Map<String, String> MODULE_BY_CONTAINER = Map.of(
            "web", "web-service", "pre-update", "web-service", "worker", "worker-service", "beat", "beat-service");

    private final ComposeParity parity;

    DeployRules(Path root) {
        this.parity = new ComposeParity(root);
    }

    List<String> check(Path templateFile) {
        Map<String, Object> template = Repo.yaml(templateFile);
        Map<String, Object> parameters = map(template.get("Parameters"));
        List<String> violations = new ArrayList<>();
        map(template.get("Resources")).forEach((name, value) -> {
            Map<String, Object> resource = map(value);
            Map<String, Object> props = map(resource.get("Properties"));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::ECS::Service" -> {
                    Map<String, Object> breaker = map(map(props.get("DeploymentConfiguration")).get("DeploymentCircuitBreaker"));
                    if (!Boolean.TRUE.equals(breaker.get("Enable")) || !Boolean.TRUE.equals(breaker.get("Rollback"))) {
                        violations.add(name + ": ECS service without deployment circuit breaker and rollback");
                    }
                }
                case "AWS::Logs::LogGroup" -> {
                    Object retention = props.get("RetentionInDays");
                    if (!(retention instanceof Map<?, ?> ref) || !parameters.containsKey(String.valueOf(ref.get("Ref")))) {
                        violations.add(name + ": log retention is not a parameter (" + retention + ")");
                    }
                }
                case "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> {
                    checkActions(name, props, violations);
                    checkWebIdentityTrust(name, props.get("AssumeRolePolicyDocument"), violations);
                }
                case "AWS::CloudWatch::Alarm" -> {
                    if (props.get("AlarmActions") == null || props.get("OKActions") == null) {
                        violations.add(name + ": alarm that notifies nobody (AlarmActions and OKActions)");
                    }
                }
                case "AWS::ECR::Repository" -> {
                    if (!"IMMUTABLE".equals(props.get("ImageTagMutability"))) {
                        violations.add(name + ": ECR repository with mutable tags");
                    }
                    if (!Boolean.TRUE.equals(map(props.get("ImageScanningConfiguration")).get("ScanOnPush"))) {
                        violations.add(name + ": ECR repository without scan on push");
                    }
                    if (map(props.get("LifecyclePolicy")).get("LifecyclePolicyText") == null) {
                        violations.add(name + ": ECR repository without a lifecycle policy");
                    }
                }
                case "AWS::ECS::TaskDefinition" -> checkContainers(name, props, violations);
                default -> {
                }
            }
        });
        return violations;
    }

    private void checkActions(String name, Object node, List<String> violations) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("Action".equals(k) || "NotAction".equals(k)) {
                    for (Object action : v instanceof List<?> list ? list : List.of(v)) {
                        if (String.valueOf(action).contains("*")) {
                            violations.add(name + ": IAM action with a wildcard: " + action);
                        }
                    }
                } else {
                    checkActions(name, v, violations);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> checkActions(name, item, violations));
        }
    }

    /** A statement GitHub's tokens may use must pin the audience and bind the subject to one repository. */
    private void checkWebIdentityTrust(String name, Object document, List<String> violations) {
        Object statements = map(document).get("Statement");
        for (Object st : statements instanceof List<?> list ? list : List.of()) {
            Map<String, Object> statement = map(st);
            if (!String.valueOf(statement.get("Action")).contains("AssumeRoleWithWebIdentity")) {
                continue;
            }
            Map<String, Object> condition = map(statement.get("Condition"));
            Object audience = map(condition.get("StringEquals")).get(GITHUB_ISSUER + ":aud");
            if (!"sts.amazonaws.com".equals(audience)) {
                violations.add(name + ": web identity trust without the audience sts.amazonaws.com");
            }
            List<Object> subjects = new ArrayList<>();
            for (String operator : List.of("StringEquals", "StringLike")) {
                Object values = map(condition.get(operator)).get(GITHUB_ISSUER + ":sub");
                if (values != null) {
                    subjects.addAll(values instanceof List<?> list ? list : List.of(values));
                }
            }
            if (subjects.isEmpty()) {
                violations.add(name + ": web identity trust without a subject condition (any repository could assume it)");
            }
            for (Object subject : subjects) {
                String text = subjectText(subject);
                if (!GITHUB_SUBJECT.matcher(text).matches()) {
                    violations.add(name + ": web identity subject not bound to one repository's ref or environment: " + text);
                }
            }
        }
    }

    /** The text of a value: a string, or the template of an {@code Fn::Sub}. */
    private static String subjectText(Object subject) {
        if (subject instanceof Map<?, ?> m && m.get("Fn::Sub") != null) {
            Object sub = m.get("Fn::Sub");
            return String.valueOf(sub instanceof List<?> list ? list.get(0) : sub);
        }
        return String.valueOf(subject);
    }

    private void checkContainers(String name, Map<String, Object> props, List<String> violations) {
        Object containers = props.get("ContainerDefinitions");
        for (Object c : branches(containers)) {
            Map<String, Object> container = map(c);
            String containerName = String.valueOf(container.get("Name"));
            if ("worker".equals(containerName) && !Integer.valueOf(120).equals(container.get("StopTimeout"))) {
                violations.add(name + ": the worker's StopTimeout is " + container.get("StopTimeout") + ", not 120");
            }
            String module = MODULE_BY_CONTAINER.get(containerName);
            Set<String> reads = module == null ? Set.of() : parity.variablesRead(module);
            Object env = container.get("Environment");
            boolean heapSized = false;
            for (Object e : branches(env)) {
                Map<String, Object> variable = map(e);
                heapSized |= "JDK_JAVA_OPTIONS".equals(variable.get("Name")) && subjectText(variable.get("Value")).contains("-Xmx");
            }
            if (module != null && !heapSized) {
                violations.add(name + "/" + containerName + ": no heap size (JDK_JAVA_OPTIONS with -Xmx)");
            }
            for (Object e : branches(env)) {
                String variable = String.valueOf(map(e).get("Name"));
                if (SECRET_NAME.matcher(variable).matches()) {
                    violations.add(name + "/" + containerName + ": " + variable + " in plain environment; use Secrets");
                } else if (module == null) {
                    violations.add(name + ": container '" + containerName + "' is not one of our services");
                } else if (!reads.contains(variable) && !QUARKUS_OVERRIDES.contains(variable)) {
                    violations.add(name + "/" + containerName + ": sets " + variable + ", which " + module + " does not read");
                }
            }
        }
    }

    /**
     * The items of a list, an item under {@code Fn::If} counted as each of its branches (a
     * container or variable the template adds under a condition is checked like any other);
     * {@code AWS::NoValue} branches drop out.
     */
    private static List<Object> branches(Object list) {
        List<Object> out = new java.util.ArrayList<>();
        for (Object item : list instanceof List<?> l ? l : List.of()) {
            if (item instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::If") instanceof List<?> choice && choice.size() == 3) {
                for (Object branch : choice.subList(1, 3)) {
                    if (!(branch instanceof Map<?, ?> b && "AWS::NoValue".equals(b.get("Ref")))) {
                        out.add(branch);
                    }
                }
            } else {
                out.add(item);
            }
        }
        return out;
    }
}
