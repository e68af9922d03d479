// POST /admin/models/pull {model}: downloads a catalog model, hf: file or URL into the data dir, streaming
// its progress as server-sent events (`progress`, then `done` or `error`), so the console can show a live bar.
// GET /admin/models/pulled lists what models.lock.json records. Leaving the page stops the download; pulling
// again resumes it.
import { catalogSourceLookup, findCatalogModel } from "../../catalog/index.js";
import type { PullProgress } from "../../engine/model-store/index.js";
import { GatewayError, toGatewayError, wireError } from "../../errors/index.js";
import type { RouteTable } from "../app.js";
import { sendJson } from "../http.js";
import type { AdminDeps } from "./deps.js";
import { adminOnly } from "./guard.js";

/** The model store (downloads, hashing, the lock file) is imported on the first pull or listing, not at start. */
const modelStore = () => import("../../engine/model-store/index.js");

/** At most this often a `progress` event (phase changes always go out). */
const PROGRESS_EVERY_MS = 200;

function progressEvent(p: PullProgress) {
  return { phase: p.phase, bytes: p.bytes, total: p.total, rate: Math.round(p.rate), eta_seconds: p.etaSeconds, url: p.url, resumed_from: p.resumedFrom };
}

export function pullRoutes(deps: AdminDeps): RouteTable {
  const dataDir = deps.config.data_dir;
  return {
    "GET /admin/models/pulled": adminOnly(async (ctx) => {
      const { readLockFile } = await modelStore();
      const lock = await readLockFile(dataDir);
      const models = Object.values(lock.models).map((m) => ({ name: m.name, source: m.source, path: m.path, size: m.size, sha256: m.sha256, pulled_at: m.pulledAt, verified_by: m.verifiedBy }));
      sendJson(ctx.res, 200, { models });
    }),
    "POST /admin/models/pull": adminOnly(async (ctx) => {
      const body = (await ctx.json()) as { model?: unknown } | null;
      const source = typeof body?.model === "string" ? body.model.trim() : "";
      if (source === "" || source.length > 1000) {
        throw new GatewayError("invalid_request", 'Send {"model": "<catalog name, hf:org/repo/file.gguf or URL>"}.', { param: "model" });
      }
      const entry = findCatalogModel(source);
      if (entry && !catalogSourceLookup(source)) {
        throw new GatewayError("invalid_request", `${entry.name} is in the catalog but has no GGUF file to pull (it is too large for one machine, or that quantization is not listed).`, { param: "model" });
      }
      const { resolveModelFile } = await modelStore();
      const { res } = ctx;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" });
      res.flushHeaders();
      const send = (event: string, data: unknown) => {
        if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      let last = 0;
      let lastPhase = "";
      try {
        const file = await resolveModelFile(source, {
          dataDir,
          pull: true,
          lookup: catalogSourceLookup,
          signal: ctx.cancel.signal,
          ...(deps.hfEndpoint ? { hfEndpoint: deps.hfEndpoint } : {}),
          onProgress: (p) => {
            const now = Date.now();
            if (p.phase === lastPhase && now - last < PROGRESS_EVERY_MS) return;
            last = now;
            lastPhase = p.phase;
            send("progress", progressEvent(p));
          },
        });
        send("done", { name: file.name, source: file.source, path: file.path, size: file.size, sha256: file.sha256, verified_by: file.verifiedBy });
      } catch (err) {
        if (ctx.cancel.aborted) return void res.destroy();
        // Admin only: an unexpected failure (disk, permissions) is worth showing as it is.
        const error = err instanceof Error && !(err instanceof GatewayError) ? new GatewayError("internal", `The pull failed: ${err.message}`) : toGatewayError(err);
        send("error", wireError(error));
      }
      res.end();
    }),
  };
}
