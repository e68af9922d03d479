#!/usr/bin/env node
// Runs every test file (unit tests beside their source, suites in test/) with node's test runner, TypeScript
// loaded through tsx, and closes with one "N passed, N failed" line. Arguments narrow the run to paths
// containing any of them: `npm test -- policy store`.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.ts$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

const files = [...collect(join(root, "src"), []), ...collect(join(root, "test"), []), ...collect(join(root, "bench"), [])]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } },
);
let tail = "";
child.stdout.on("data", (buf) => {
  process.stdout.write(buf);
  tail = (tail + buf.toString()).slice(-4000);
});
child.on("close", (code) => {
  const num = (label) => Number(new RegExp(`(?:ℹ|#) ${label} (\\d+)`).exec(tail)?.[1] ?? 0);
  const passed = num("pass");
  const failed = num("fail") + num("cancelled");
  const skipped = num("skipped") + num("todo");
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(code ?? 1);
});
