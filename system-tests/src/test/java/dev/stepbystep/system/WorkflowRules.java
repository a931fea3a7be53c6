package dev.stepbystep.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.stepbystep.system.ComposeParity.map;

/**
 * Our own rules over a GitHub Actions workflow, beyond what the linters check: every action
 * pinned to a full commit SHA (a tag can be moved to other code), every job with its own
 * {@code permissions:}, no long-lived AWS keys anywhere, {@code id-token: write} only where AWS
 * credentials are requested, a concurrency group (never cancelling) on every job that
 * releases, and no workflow or event input expanded inside a shell script (script injection:
 * pass it through {@code env:}).
 */
final class WorkflowRules {

    private static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}");
    private static final Pattern AWS_KEYS = Pattern.compile("aws[_-]access[_-]key[_-]id|aws[_-]secret[_-]access[_-]key");
    private static final Pattern UNTRUSTED_IN_SCRIPT = Pattern.compile("\\$\\{\\{[^}]*\\b(inputs\\.|github\\.event\\.|github\\.head_ref)");
    private static final Pattern RELEASES = Pattern.compile("deploy/release\\s+(release|rollback)\\b");

    List<String> check(Path workflow) {
        String file = workflow.getFileName().toString();
        List<String> violations = new ArrayList<>();
        if (AWS_KEYS.matcher(Repo.read(workflow).toLowerCase(Locale.ROOT)).find()) {
            violations.add(file + ": mentions long-lived AWS access keys; use GitHub OIDC (role-to-assume)");
        }
        Map<String, Object> document = Repo.yaml(workflow);
        Object workflowConcurrency = document.get("concurrency");
        map(document.get("jobs")).forEach((jobName, value) -> {
            Map<String, Object> job = map(value);
            String where = file + "/" + jobName;
            if (!job.containsKey("permissions")) {
                violations.add(where + ": no permissions: block (the default token can write to the repository)");
            }
            if (job.get("uses") != null) {
                checkPinned(where, String.valueOf(job.get("uses")), violations);
            }
            boolean requestsAwsCredentials = job.get("uses") != null; // a called workflow may need the token
            boolean releases = false;
            Object steps = job.get("steps");
            for (Object s : steps instanceof List<?> list ? list : List.of()) {
                Map<String, Object> step = map(s);
                Object uses = step.get("uses");
                if (uses != null) {
                    checkPinned(where, String.valueOf(uses), violations);
                    requestsAwsCredentials |= String.valueOf(uses).startsWith("aws-actions/configure-aws-credentials@");
                }
                Object run = step.get("run");
                if (run != null) {
                    if (UNTRUSTED_IN_SCRIPT.matcher(String.valueOf(run)).find()) {
                        violations.add(where + ": an input or event field expanded inside run: (pass it through env:)");
                    }
                    releases |= RELEASES.matcher(String.valueOf(run)).find();
                }
            }
            if ("write".equals(map(job.get("permissions")).get("id-token")) && !requestsAwsCredentials) {
                violations.add(where + ": id-token: write without a step that requests AWS credentials");
            }
            if (releases) {
                Object concurrency = job.get("concurrency") != null ? job.get("concurrency") : workflowConcurrency;
                if (concurrency == null) {
                    violations.add(where + ": releases without a concurrency group (two releases of a stack could overlap)");
                } else if (Boolean.TRUE.equals(map(concurrency).get("cancel-in-progress"))) {
                    violations.add(where + ": releases with cancel-in-progress (a release stopped half-way)");
                }
            }
        });
        return violations;
    }

    private static void checkPinned(String where, String uses, List<String> violations) {
        if (uses.startsWith("./") || (uses.startsWith("docker://") && uses.contains("@sha256:"))) {
            return;
        }
        if (!PINNED.matcher(uses).matches()) {
            violations.add(where + ": action not pinned to a full commit SHA: " + uses);
        }
    }
}
