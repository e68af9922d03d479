// The console suites need console/dist: `npm test` builds it (npm run build), a direct run builds it here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const CONSOLE_DIST = fileURLToPath(new URL("../../console/dist/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function ensureConsoleBuilt(): void {
  if (existsSync(`${CONSOLE_DIST}index.html`)) return;
  const vite = createRequire(import.meta.url).resolve("vite/bin/vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "console", "--logLevel", "warn"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the console failed:\n${r.stdout}\n${r.stderr}`);
}
