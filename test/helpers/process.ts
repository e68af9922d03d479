// Runs the real `inhouse` binary (bin/inhouse.js over dist/, built by `npm test`) as a child process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = new URL("../../bin/inhouse.js", import.meta.url).pathname;

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  dir: string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `inhouse serve` with the given YAML and waits until /healthz answers. Without `port` it picks one at
 * random and, if another process holds it (EADDRINUSE: the range overlaps the ephemeral ports the parallel
 * test files' clients use), tries another, up to 5 times.
 */
export async function spawnGateway(yaml: string, env: NodeJS.ProcessEnv = {}, port?: number): Promise<GatewayProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(yaml, env, port ?? 20000 + Math.floor(Math.random() * 20000));
    } catch (err) {
      if (port !== undefined || attempt >= 5 || !/EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

async function spawnOnce(yaml: string, env: NodeJS.ProcessEnv, p: number): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), "inhouse-proc-"));
  writeFileSync(join(dir, "inhouse.yaml"), yaml);
  const child = spawn(process.execPath, [BIN, "serve", "--config", join(dir, "inhouse.yaml"), "--port", String(p), "--data-dir", join(dir, "data")], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`inhouse exited early (${child.exitCode}):\n${err}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`inhouse did not become healthy:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, dir, stderr: () => err, exited };
}
