// `inhouse models`: the catalog and the configured models, with what is on disk for each.
import { stat } from "node:fs/promises";
import { catalogSourceLookup, listCatalog, type CatalogModel } from "../../catalog/index.js";
import { isGatewayError } from "../../errors/index.js";
import { expectedModelPath, formatBytes, parseModelSource, readLockFile, type LockFile } from "../../engine/model-store/index.js";
import { COMMON_HELP, parse } from "../args.js";

export const MODELS_HELP = `Usage: inhouse models [options]

Lists the catalog of open-weight models and the models configured under backends, with their state:
pulled (size, sha256 from models.lock.json, path), not pulled, changed on disk, or hosted only.

Options:
  --json            machine-readable output
  --pulled          only models whose file is on disk
  --family NAME     only this family (qwen, deepseek, llama, gemma, ...)
${COMMON_HELP}`;

export interface ModelsContext {
  dataDir: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  configuredModels: { backend: string; name: string; source: string }[];
  env?: Record<string, string | undefined>;
}

export type ModelState = "pulled" | "not-pulled" | "changed" | "missing" | "hosted-only" | "invalid";

export interface ModelRow {
  name: string;
  /** `catalog` or the backend name. */
  from: string;
  source: string | null;
  state: ModelState;
  path: string | null;
  size: number | null;
  sha256: string | null;
  detail?: string;
}

export async function modelsCommand(argv: string[], ctx: ModelsContext): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv, { json: { type: "boolean" }, pulled: { type: "boolean" }, family: { type: "string" } });
  } catch (err) {
    ctx.stderr.write(`inhouse models: ${(err as Error).message}\n\n${MODELS_HELP}\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    ctx.stdout.write(`${MODELS_HELP}\n`);
    return 0;
  }
  const lock = await readLockFile(ctx.dataDir).catch((err: unknown) => {
    ctx.stderr.write(`inhouse models: ${(err as Error).message}\n`);
    return { version: 1, models: {} } satisfies LockFile;
  });
  const family = values.family?.toLowerCase();
  const catalog = listCatalog().filter((m) => family === undefined || m.family === family);
  const catalogRows = await Promise.all(catalog.map((m) => stateOf(m.name, "catalog", catalogSourceLookup(m.name)?.source ?? null, ctx, lock)));
  const configuredRows = await Promise.all(ctx.configuredModels.map((c) => stateOf(c.name, c.backend, c.source, ctx, lock)));
  const keep = (r: ModelRow) => !values.pulled || r.state === "pulled" || r.state === "changed";

  if (values.json) {
    const byName = new Map(catalog.map((m) => [m.name, m]));
    ctx.stdout.write(
      `${JSON.stringify(
        {
          catalog: catalogRows.filter(keep).map((r) => ({ ...byName.get(r.name), state: r })),
          configured: configuredRows.filter(keep),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const byName = new Map(catalog.map((m) => [m.name, m]));
  const cat = catalogRows.filter(keep);
  ctx.stdout.write(`Catalog (${cat.length} models; pull one with 'inhouse pull NAME')\n`);
  ctx.stdout.write(
    table(
      ["NAME", "PARAMS", "CONTEXT", "LICENSE", "ORIGIN", "STATE", "SIZE", "SHA256", "PATH"],
      cat.map((r) => {
        const m = byName.get(r.name) as CatalogModel;
        return [r.name, params(m), context(m), license(m), m.origin, r.state, size(r), short(r.sha256), r.path && r.state !== "not-pulled" ? r.path : ""];
      }),
    ),
  );
  const conf = configuredRows.filter(keep);
  if (ctx.configuredModels.length > 0) {
    ctx.stdout.write(`\nConfigured (${conf.length})\n`);
    ctx.stdout.write(
      table(
        ["MODEL", "SOURCE", "STATE", "SIZE", "SHA256", "PATH"],
        conf.map((r) => [`${r.from}/${r.name}`, r.source ?? "", r.detail ? `${r.state}: ${r.detail}` : r.state, size(r), short(r.sha256), r.path ?? ""]),
      ),
    );
  }
  return 0;
}

async function stateOf(name: string, from: string, source: string | null, ctx: ModelsContext, lock: LockFile): Promise<ModelRow> {
  const row: ModelRow = { name, from, source, state: "hosted-only", path: null, size: null, sha256: null };
  if (source === null) return row;
  let spec;
  try {
    spec = parseModelSource(source, { lookup: catalogSourceLookup, ...(ctx.env ? { env: ctx.env } : {}) });
  } catch (err) {
    return { ...row, state: "invalid", detail: isGatewayError(err) ? err.message : String(err) };
  }
  const path = spec.kind === "local" ? spec.path : expectedModelPath(ctx.dataDir, spec);
  const onDisk = await stat(path).then((s) => (s.isFile() ? s.size : null)).catch(() => null);
  row.path = path;
  if (spec.kind === "local") {
    return onDisk === null ? { ...row, state: "missing" } : { ...row, state: "pulled", size: onDisk };
  }
  const entry = lock.models[`models/${spec.relPath}`];
  if (onDisk === null) return { ...row, state: "not-pulled" };
  // Sizes only: hashing every file on each listing would take minutes for large models; loads check the hash.
  if (entry && entry.size !== onDisk) return { ...row, state: "changed", size: onDisk, sha256: entry.sha256, detail: `lock says ${entry.size} bytes` };
  return { ...row, state: "pulled", size: onDisk, sha256: entry?.sha256 ?? null };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n`;
}

function billions(n: number): string {
  if (n >= 1e12) return `${+(n / 1e12).toFixed(2)}T`;
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (n >= 4e8) return `${+(n / 1e9).toFixed(2)}B`;
  return `${Math.round(n / 1e6)}M`;
}

const params = (m: CatalogModel) => (m.parameters.active === m.parameters.total ? billions(m.parameters.total) : `${billions(m.parameters.total)}/${billions(m.parameters.active)}`);
const context = (m: CatalogModel) => (m.contextLength === "unknown" ? "?" : m.contextLength >= 1e6 ? `${m.contextLength / 1e6}M` : `${m.contextLength % 1024 === 0 ? m.contextLength / 1024 : Math.round(m.contextLength / 1000)}K`);
const license = (m: CatalogModel) => `${m.license.id}${m.license.commercialUse === true ? "" : m.license.commercialUse === false ? " (non-commercial)" : " (conditions)"}`;
const size = (r: ModelRow) => (r.size === null ? "" : formatBytes(r.size));
const short = (sha: string | null) => (sha ? sha.slice(0, 12) : "");
