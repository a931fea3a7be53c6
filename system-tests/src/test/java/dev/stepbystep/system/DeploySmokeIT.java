package dev.stepbystep.system;

import dev.stepbystep.testing.MotoServer;
import dev.stepbystep.testing.PackagedService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/app.yaml and deploy/release against moto_server (a local AWS API emulator) on 127.0.0.1.
 *
 * <p>What moto cannot emulate, and how this test stands in for it: the base stack (RDS with a
 * managed secret, ElastiCache, ACM, VPC endpoints) is replaced by base-stub.yaml with the same
 * exports; moto's CloudFormation skips AWS::SecretsManager::Secret and Application Auto Scaling,
 * so the test variant of app.yaml points SECRET_KEY at a fixed secret ARN, and scaling policies
 * are checked by DeployTemplatesTest only; moto needs a container-level memory value to run a
 * task, which the variant adds; moto fails the first update of the stack on {@code Fn::GetAtt} of
 * a log group's ARN, so the variant spells those four ARNs out (and the target group's full name,
 * which moto's CloudFormation cannot give as an output; releases update the stack from
 * the variant too: an update from the original leaves moto's pre-update task definition without
 * its container's image); tasks run nothing (their exit code is always 0), so a failing
 * migration is shown as a pre-update task that never stops. Real containers, load balancing,
 * health checks and the circuit breaker are not emulated. moto also keeps a container left out
 * by {@code Fn::If ... AWS::NoValue} as a null and fails, so the variant of the stacks without
 * tracing drops the collector sidecar's block (what CloudFormation does when Tracing is off);
 * the traced stack is made from the variant that keeps it.
 *
 * <p>The pipeline stacks (deploy/pipeline.yaml, deploy/release-role.yaml) deploy here too; moto's
 * CloudFormation models neither the OIDC provider (so the account's provider is made first and
 * passed in, the path for an account that has one) nor scan-on-push or lifecycle settings (those
 * are checked by DeployTemplatesTest), and it does not enforce IAM, so the release role's policy
 * is checked against what the app stack creates (its role path), not by releasing with it.
 * {@code release --build} builds the images with this checkout's Maven build and pushes them to
 * a real registry on 127.0.0.1 (Debian's docker-registry) instead of ECR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploySmokeIT {

    private MotoServer moto;
    private Map<String, String> env;
    private Path variant;
    private Path tracedVariant;
    private final String release = Repo.file("deploy/release").toString();

    @BeforeAll
    void deployStacks() throws Exception {
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "100"));
        env = new HashMap<>(moto.awsEnvironment());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("RELEASE_POLL_SECONDS", "1"); // moto answers at once: no need to wait as long as on AWS
        String forMoto = Repo.read(Repo.file("deploy/app.yaml"))
                .replace("ValueFrom: !Ref SecretKey", "ValueFrom: arn:aws:secretsmanager:us-east-1:123456789012:secret:stub-key-AbCdEf")
                .replaceAll("(?m)^(\\s*)Essential: true$", "$1Essential: true\n$1MemoryReservation: 512")
                .replaceAll("- !GetAtt (\\w+)Logs\\.Arn", "- arn:aws:logs:us-east-1:123456789012:log-group:$1:*")
                .replace("Value: !GetAtt WebTargetGroup.TargetGroupFullName", "Value: targetgroup/stub-web/0123456789abcdef");
        tracedVariant = Files.createTempFile("app-traced-variant-", ".yaml");
        Files.writeString(tracedVariant, forMoto);
        String untraced = forMoto.replaceAll("(?m)^        - !If\n          - TracingOn\n          - Name: otel-collector\n"
                + "(?:            .*\n)*?          - !Ref AWS::NoValue\n", "");
        assertThat(untraced.split("Name: otel-collector", -1)).as("the three sidecar blocks dropped").hasSize(forMoto.split("Name: otel-collector", -1).length - 3);
        variant = Files.createTempFile("app-variant-", ".yaml");
        Files.writeString(variant, untraced);
        aws("cloudformation", "create-stack", "--stack-name", "base", "--template-body",
                "file://" + Path.of("src/test/resources/deploy/base-stub.yaml").toAbsolutePath());
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "base");
        aws("cloudformation", "create-stack", "--stack-name", "app", "--capabilities", "CAPABILITY_IAM",
                "--template-body", "file://" + variant, "--parameters",
                "ParameterKey=BaseStackName,ParameterValue=base", "ParameterKey=EnvironmentName,ParameterValue=smoke",
                "ParameterKey=ImageTag,ParameterValue=1.0.0", "ParameterKey=HostName,ParameterValue=smoke.example.com",
                "ParameterKey=FrontendUrl,ParameterValue=https://smoke.example.com");
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "app");
    }

    @AfterAll
    void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
        if (variant != null) {
            Files.deleteIfExists(variant);
        }
        if (tracedVariant != null) {
            Files.deleteIfExists(tracedVariant);
        }
    }

    private String aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.find("aws"), "--output", "text"));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(command, env);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
        return r.output();
    }

    private Tools.Result release(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", release));
        command.addAll(List.of(args));
        if (List.of("release", "rollback").contains(args[0])) {
            command.addAll(List.of("--template", variant.toString())); // the stack was made from it; see the class comment
        }
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extraEnv);
        return Tools.run(command, e);
    }

    private String imageTag() throws Exception {
        return aws("cloudformation", "describe-stacks", "--stack-name", "app",
                "--query", "Stacks[0].Parameters[?ParameterKey=='ImageTag'].ParameterValue");
    }

    private void taskProgression(String json) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(moto.endpoint() + "/moto-api/state-manager/set-transition"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model_name\": \"ecs::task\", \"transition\": " + json + "}")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    @Order(1)
    void theAppStackDeploysWithEveryServiceAndTheOneOffTask() throws Exception {
        assertThat(aws("ecs", "list-services", "--cluster", "stepbystep-smoke", "--query", "serviceArns"))
                .contains("service/stepbystep-smoke/web", "service/stepbystep-smoke/worker", "service/stepbystep-smoke/beat");
        assertThat(aws("ecs", "describe-task-definition", "--task-definition", "stepbystep-smoke-worker",
                "--query", "taskDefinition.containerDefinitions[0].stopTimeout")).isEqualTo("120");
        assertThat(aws("ecs", "describe-task-definition", "--task-definition", "stepbystep-smoke-pre-update",
                "--query", "taskDefinition.containerDefinitions[0].command")).isEqualTo("pre-update");
    }

    /** Tracing=xray: a collector beside each service, which the service exports to on localhost. */
    @Test
    @Order(1)
    void withTracingEachServiceRunsTheCollectorBesideIt() throws Exception {
        aws("cloudformation", "create-stack", "--stack-name", "traced", "--capabilities", "CAPABILITY_IAM",
                "--template-body", "file://" + tracedVariant, "--parameters",
                "ParameterKey=BaseStackName,ParameterValue=base", "ParameterKey=EnvironmentName,ParameterValue=traced",
                "ParameterKey=ImageTag,ParameterValue=1.0.0", "ParameterKey=HostName,ParameterValue=traced.example.com",
                "ParameterKey=FrontendUrl,ParameterValue=https://traced.example.com", "ParameterKey=ListenerRulePriority,ParameterValue=101",
                "ParameterKey=Tracing,ParameterValue=xray", "ParameterKey=TracingSampleRatio,ParameterValue=0.5");
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "traced");
        for (String service : List.of("web", "worker", "beat")) {
            String family = "stepbystep-traced-" + service;
            assertThat(aws("ecs", "describe-task-definition", "--task-definition", family,
                    "--query", "taskDefinition.containerDefinitions[].name").split("\\s+")).containsExactly(service, "otel-collector");
            assertThat(aws("ecs", "describe-task-definition", "--task-definition", family,
                    "--query", "taskDefinition.containerDefinitions[1].[essential, command[0]]").split("\\s+"))
                    .containsExactly("False", "--config=/etc/ecs/ecs-xray.yaml");
            assertThat(aws("ecs", "describe-task-definition", "--task-definition", family, "--query",
                    "taskDefinition.containerDefinitions[0].environment[?starts_with(name, 'OTEL_')].[name, value]").split("\\s+"))
                    .containsExactlyInAnyOrder("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317", "OTEL_TRACES_SAMPLER_ARG", "0.5");
        }
        // Off (the default, the app stack): the service alone, nothing to export to.
        assertThat(aws("ecs", "describe-task-definition", "--task-definition", "stepbystep-smoke-web",
                "--query", "taskDefinition.containerDefinitions[].name")).isEqualTo("web");
        aws("cloudformation", "delete-stack", "--stack-name", "traced");
    }

    @Test
    @Order(2)
    void dryRunPrintsTheCallsAndMakesNone() throws Exception {
        // Nothing listens on this endpoint: any real call would fail.
        Tools.Result r = release(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + PackagedService.freePort()),
                "release", "--stack", "app", "--tag", "2.0.0", "--dry-run");
        assertThat(r.exit()).as(r.output()).isZero();
        List<String> calls = r.output().lines().filter(l -> l.startsWith("+ aws")).map(l -> l.split(" ")[2] + " " + l.split(" ")[3]).toList();
        assertThat(calls).containsSubsequence("ecs describe-task-definition", "ecs register-task-definition", "ecs run-task",
                "ecs describe-tasks", "cloudformation update-stack", "cloudformation wait", "ecs describe-services");
    }

    @Test
    @Order(3)
    void aPreUpdateThatDoesNotFinishStopsTheReleaseBeforeAnyServiceChanges() throws Exception {
        taskProgression("{\"progression\": \"manual\", \"times\": 100000}");
        Tools.Result r = release(Map.of(), "release", "--stack", "app", "--tag", "1.1.0", "--timeout", "8");
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("pre-update: task").contains("the release is stopped (nothing was deployed)");
        assertThat(imageTag()).isEqualTo("1.0.0");
    }

    @Test
    @Order(4)
    void releaseRunsPreUpdateWithTheNewImageThenUpdatesTheStack() throws Exception {
        taskProgression("{\"progression\": \"immediate\"}");
        Tools.Result r = release(Map.of(), "release", "--stack", "app", "--tag", "1.2.0", "--timeout", "60");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("pre-update: done (exit code 0)", "released 1.2.0 to app");
        String ran = r.output().lines().filter(l -> l.startsWith("release: pre-update: running ")).findFirst().orElseThrow()
                .substring("release: pre-update: running ".length());
        assertThat(aws("ecs", "describe-task-definition", "--task-definition", ran,
                "--query", "taskDefinition.containerDefinitions[0].image")).endsWith("/stepbystep/web-service:1.2.0");
        assertThat(imageTag()).isEqualTo("1.2.0");
    }

    @Test
    @Order(5)
    void rollbackDeploysAnEarlierTagWithoutPreUpdate() throws Exception {
        Tools.Result r = release(Map.of(), "rollback", "--stack", "app", "--tag", "1.0.0", "--timeout", "60");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("pre-update: running");
        assertThat(imageTag()).isEqualTo("1.0.0");
    }

    @Test
    @Order(6)
    void workersScaleByHand() throws Exception {
        Tools.Result r = release(Map.of(), "scale-workers", "--stack", "app", "--count", "3");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(aws("ecs", "describe-services", "--cluster", "stepbystep-smoke", "--services", "worker",
                "--query", "services[0].desiredCount")).isEqualTo("3");
    }

    @Test
    @Order(7)
    void badArgumentsExitWithOneLineAndCallNothing() throws Exception {
        for (String[] args : List.of(new String[] {"release", "--stack", "app", "--tag", "bad tag"},
                new String[] {"scale-workers", "--stack", "app", "--count", "-1"},
                new String[] {"shell", "--stack", "app", "--service", "db"},
                new String[] {"release", "--stack", "app; rm -rf /", "--tag", "1"})) {
            Tools.Result r = release(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.output().lines().count()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).startsWith("release: ");
        }
        Tools.Result badPoll = release(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "RELEASE_POLL_SECONDS", "0"),
                "release", "--stack", "app", "--tag", "1.3.0");
        assertThat(badPoll.exit()).isEqualTo(1);
        assertThat(badPoll.output().strip()).isEqualTo("release: RELEASE_POLL_SECONDS must be 1 to 999 seconds, got '0'");
        for (String[] args : List.of(new String[] {"rollback", "--stack", "app", "--tag", "1", "--build"},
                new String[] {"build", "--registry", "bad registry!"},
                new String[] {"build", "--repository-prefix", "UPPER"})) {
            Tools.Result r = release(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.output().lines().count()).as(r.output()).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void thePipelineStacksMakeTheRepositoriesAndRolesBoundToOneRepository() throws Exception {
        String provider = aws("iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com",
                "--client-id-list", "sts.amazonaws.com", "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1",
                "--query", "OpenIDConnectProviderArn");
        aws("cloudformation", "create-stack", "--stack-name", "pipeline", "--capabilities", "CAPABILITY_IAM",
                "--template-body", "file://" + Repo.file("deploy/pipeline.yaml"), "--parameters",
                "ParameterKey=GitHubRepository,ParameterValue=example/stepbystep",
                "ParameterKey=ExistingOidcProviderArn,ParameterValue=" + provider);
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "pipeline");
        aws("cloudformation", "create-stack", "--stack-name", "release-smoke", "--capabilities", "CAPABILITY_IAM",
                "--template-body", "file://" + Repo.file("deploy/release-role.yaml"), "--parameters",
                "ParameterKey=PipelineStackName,ParameterValue=pipeline", "ParameterKey=GitHubEnvironment,ParameterValue=production",
                "ParameterKey=AppStackName,ParameterValue=app", "ParameterKey=EnvironmentName,ParameterValue=smoke",
                "ParameterKey=BaseStackName,ParameterValue=base");
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "release-smoke");

        assertThat(aws("ecr", "describe-repositories", "--query", "repositories[].[repositoryName,imageTagMutability]").lines())
                .containsExactlyInAnyOrder("stepbystep/web-service\tIMMUTABLE", "stepbystep/worker-service\tIMMUTABLE",
                        "stepbystep/beat-service\tIMMUTABLE");
        String pushRole = output("pipeline", "ImagePushRoleArn");
        assertThat(aws("iam", "get-role", "--role-name", pushRole.substring(pushRole.lastIndexOf('/') + 1), "--output", "json"))
                .contains(provider, "repo:example/stepbystep:ref:refs/heads/main", "repo:example/stepbystep:ref:refs/tags/v*");
        String releaseRole = output("release-smoke", "ReleaseRoleArn");
        assertThat(aws("iam", "get-role", "--role-name", releaseRole.substring(releaseRole.lastIndexOf('/') + 1), "--output", "json"))
                .contains(provider, "repo:example/stepbystep:environment:production");
        // The release role may pass only roles under /stepbystep/smoke/: the app stack's two task roles are there.
        assertThat(aws("iam", "list-roles", "--path-prefix", "/stepbystep/smoke/", "--query", "length(Roles)")).isEqualTo("2");
    }

    @Test
    @Order(11)
    void theMonitoringStackDeploysWithItsDashboard() throws Exception {
        String topic = aws("sns", "create-topic", "--name", "stepbystep-smoke-alarms", "--query", "TopicArn");
        aws("cloudformation", "create-stack", "--stack-name", "monitoring-smoke",
                "--template-body", "file://" + Repo.file("deploy/monitoring.yaml"), "--parameters",
                "ParameterKey=AppStackName,ParameterValue=app", "ParameterKey=BaseStackName,ParameterValue=base",
                "ParameterKey=EnvironmentName,ParameterValue=smoke", "ParameterKey=AlarmTopicArn,ParameterValue=" + topic);
        aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "monitoring-smoke");
        // moto's CloudFormation accepts the alarms but creates none (DeployTemplatesTest checks them).
        String dashboard = aws("cloudwatch", "get-dashboard", "--dashboard-name", "stepbystep-smoke", "--query", "DashboardBody");
        assertThat(dashboard).contains("QueueDepth", "DeadLetters", "targetgroup/stub-web/0123456789abcdef",
                "CPUUtilization", "MemoryUtilization");
    }

    private String output(String stack, String key) throws Exception {
        return aws("cloudformation", "describe-stacks", "--stack-name", stack,
                "--query", "Stacks[0].Outputs[?OutputKey=='" + key + "'].OutputValue");
    }

    @Test
    @Order(9)
    void buildTagsTheCommitCheckedOutAndRefusesUncommittedChanges() throws Exception {
        Tools.Result status = Tools.run(List.of("git", "-C", Repo.root().toString(), "status", "--porcelain"), null);
        Tools.Result r = release(Map.of(), "build", "--registry", "127.0.0.1:1", "--dry-run");
        if (status.output().isEmpty()) {
            String head = Tools.run(List.of("git", "-C", Repo.root().toString(), "rev-parse", "HEAD"), null).output();
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("-Dquarkus.container-image.tag=" + head).endsWith(head);
        } else {
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).contains("uncommitted changes");
        }
    }

    @Test
    @Order(10)
    void releaseBuildPushesTheImagesThenReleasesThem() throws Exception {
        String tag = "build-" + Long.toHexString(System.nanoTime());
        try (LocalRegistry registry = LocalRegistry.start()) {
            List<String> command = new ArrayList<>(List.of("bash", release, "release", "--stack", "app", "--build",
                    "--tag", tag, "--registry", registry.address(), "--timeout", "60", "--template", variant.toString()));
            Tools.Result r = Tools.run(command, env, 1200);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("build: pushed " + registry.address() + "/stepbystep/",
                    "pre-update: done (exit code 0)", "released " + tag + " to app");
            assertThat(r.output().indexOf("build: pushed")).isLessThan(r.output().indexOf("pre-update: running"));
            for (String service : List.of("web-service", "worker-service", "beat-service")) {
                assertThat(registry.get("/v2/stepbystep/" + service + "/tags/list").body())
                        .as("only the release's tag (an immutable ECR repository refuses a second push of any other)")
                        .contains("\"tags\":[\"" + tag + "\"]");
                assertThat(registry.get("/v2/stepbystep/" + service + "/manifests/" + tag).statusCode()).isEqualTo(200);
            }
        }
        assertThat(imageTag()).isEqualTo(tag);
    }
}
