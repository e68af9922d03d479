// `inhouse doctor`: checks that this machine can run the gateway with this config — Node version, the
// engine binary, memory, disk, cores, the listen port, the database, Redis and every backend — and says how
// to fix what fails. Exit 1 when a required check fails (warnings do not fail).
import { loadConfig, type Config, type RemoteBackendConfig } from "../../config/index.js";
import { COMMON_HELP, overridesFrom, parse } from "../args.js";
import {
  checkBackend,
  checkCpu,
  checkDatabase,
  checkDataDir,
  checkEngine,
  checkMemory,
  checkNode,
  checkPort,
  checkRedis,
  checkReplicaReadiness,
  checkTraces,
  type CheckResult,
} from "./doctor-checks.js";

export const DOCTOR_HELP = `Usage: inhouse doctor [options]

Checks this machine and config: Node.js version, the llama.cpp binary (CPU/GPU), memory, free disk in the
data dir, cores and engine threads, that the listen port is free, the database and Redis, and that every
backend's base URL answers GET /models; with Postgres, whether Redis and one admin key make it ready for
several replicas; the trace collector when configured. Prints a fix for each problem; exits 1 when a
required check fails (warnings, marked !, do not).

  --json            print the results as JSON
${COMMON_HELP}`;

const MARK: Record<CheckResult["status"], string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

export async function runChecks(config: Config | undefined, configError?: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkNode()];
  if (!config) {
    results.push({ name: "config", status: "fail", detail: configError ?? "could not be loaded", fix: "fix the key named above (the message says which file and key)" });
    return results;
  }
  results.push({ name: "config", status: "ok", detail: config.file ? `${config.file} is valid` : "no config file: built-in defaults (one embedded backend, SQLite)" });
  results.push(...checkDataDir(config), checkMemory(config), checkCpu(config));
  const remote = Object.entries(config.backends).filter((e): e is [string, RemoteBackendConfig] => e[1].type !== "embedded");
  // The slow ones (engine load, network) run side by side; each is bounded by its own timeout.
  const slow = await Promise.all([
    checkEngine(config),
    checkPort(config),
    checkDatabase(config),
    checkRedis(config),
    checkTraces(config),
    ...remote.map(([name, b]) => checkBackend(name, b)),
  ]);
  results.push(...slow, checkReplicaReadiness(config));
  return results;
}

export function renderTable(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.flatMap((r) => {
    const row = `  ${MARK[r.status]} ${r.name.padEnd(width)}  ${r.detail}`;
    return r.fix && (r.status === "fail" || r.status === "warn") ? [row, `    ${" ".repeat(width)}  fix: ${r.fix}`] : [row];
  });
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  const summary = failed ? `${failed} check${failed === 1 ? "" : "s"} failed` : "all required checks passed";
  return `${lines.join("\n")}\n\n${summary}${warned ? `, ${warned} warning${warned === 1 ? "" : "s"}` : ""}.`;
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: "boolean" } });
  if (values.help) {
    process.stdout.write(`${DOCTOR_HELP}\n`);
    return 0;
  }
  let config: Config | undefined;
  let configError: string | undefined;
  try {
    config = loadConfig({ ...(values.config ? { file: values.config } : {}), overrides: overridesFrom(values) });
  } catch (err) {
    configError = err instanceof Error ? err.message : String(err);
  }
  const results = await runChecks(config, configError);
  const ok = results.every((r) => r.status !== "fail");
  if (values.json) process.stdout.write(`${JSON.stringify({ ok, checks: results }, null, 2)}\n`);
  else process.stdout.write(`inhouse doctor\n\n${renderTable(results)}\n`);
  return ok ? 0 : 1;
}
