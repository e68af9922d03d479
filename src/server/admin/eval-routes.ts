// Past eval runs for the console: GET /admin/eval lists the runs under the reports directory (newest
// first, summaries only), GET /admin/eval/<run> returns one run's summary, /admin/eval/<run>/html its report.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { GatewayError } from "../../errors/index.js";
import type { EvalRun } from "../../eval/index.js";
import type { RouteTable } from "../app.js";
import { sendJson } from "../http.js";
import type { AdminDeps } from "./deps.js";
import { adminOnly, pathTail } from "./guard.js";

// The eval layer is imported when the console first asks for runs, not when the gateway starts.
const readRun = async (dir: string): Promise<EvalRun> => (await import("../../eval/write-reports.js")).readRun(dir);

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const MAX_LISTED = 50;

function summaryOf(run: EvalRun) {
  return {
    run_id: run.runId,
    suite: run.suite,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    models: run.models,
    langs: run.langs,
    items: run.items.length,
    by_model: run.summary.byModel,
    by_model_lang: run.summary.byModelLang,
  };
}

function runDir(root: string, id: string): string {
  if (!RUN_ID.test(id) || id.includes("..")) throw new GatewayError("invalid_request", "A run id uses letters, digits, '.', '_' and '-'.", { param: "id" });
  return join(root, id);
}

export function evalRoutes(deps: AdminDeps): RouteTable {
  const root = deps.evalReportsDir ?? join(deps.config.data_dir, "reports");
  return {
    "GET /admin/eval": adminOnly(async (ctx) => {
      let names: string[] = [];
      try {
        names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && RUN_ID.test(d.name)).map((d) => d.name);
      } catch {
        // No reports yet.
      }
      const withTimes = await Promise.all(
        names.map(async (name) => ({ name, mtime: await stat(join(root, name, "results.json")).then((s) => s.mtimeMs, () => -1) })),
      );
      const newest = withTimes.filter((r) => r.mtime >= 0).sort((a, b) => b.mtime - a.mtime).slice(0, MAX_LISTED);
      const runs = [];
      for (const r of newest) {
        try {
          runs.push(summaryOf(await readRun(join(root, r.name))));
        } catch {
          // A half-written or foreign results.json is skipped, not fatal to the list.
        }
      }
      sendJson(ctx.res, 200, { dir: root, runs });
    }),
    "GET /admin/eval/*": adminOnly(async (ctx) => {
      const tail = pathTail(ctx, "/admin/eval/");
      const html = tail.endsWith("/html");
      const dir = runDir(root, html ? tail.slice(0, -5) : tail);
      if (html) {
        const body = await readFile(join(dir, "report.html")).catch(() => {
          throw new GatewayError("not_found", `No report for eval run '${tail.slice(0, -5)}'.`);
        });
        ctx.res.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-length": body.length,
          // The report is shown inside the console; it must not run scripts or load anything.
          "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        });
        ctx.res.end(body);
        return;
      }
      let run: EvalRun;
      try {
        run = await readRun(dir);
      } catch {
        throw new GatewayError("not_found", `No eval run '${tail}'. GET /admin/eval lists them.`);
      }
      sendJson(ctx.res, 200, summaryOf(run));
    }),
  };
}
