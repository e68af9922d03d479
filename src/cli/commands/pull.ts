// `inhouse pull <model>`: download a catalog model, hf: file or URL into the data dir, verified and recorded.
import { catalogSourceLookup, findCatalogModel } from "../../catalog/index.js";
import { isGatewayError } from "../../errors/index.js";
import { formatBytes, formatProgressLine, resolveModelFile, type PullProgress } from "../../engine/model-store/index.js";
import { COMMON_HELP, parse } from "../args.js";

export const PULL_HELP = `Usage: inhouse pull <model> [<model>...] [options]

Downloads model files into DATA_DIR/models/ and records their size and sha256 in DATA_DIR/models.lock.json.
<model> is a catalog name (see 'inhouse models'; add :QUANT for another file, e.g. qwen3-8b:Q8_0),
an hf:org/repo/file.gguf URI, or an http(s) URL. An interrupted pull resumes where it stopped.
The file's sha256 is checked against the hub's published hash, or the catalog's, when there is one.

Environment:
  INHOUSE_HF_ENDPOINT   Hugging Face base URL (default https://huggingface.co), e.g. a mirror

Options:
  --quiet           no progress output
${COMMON_HELP}`;

export interface PullContext {
  dataDir: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Defaults to whether stderr is a terminal. */
  isTTY?: boolean;
  signal?: AbortSignal;
  hfEndpoint?: string;
  env?: Record<string, string | undefined>;
}

export async function pullCommand(argv: string[], ctx: PullContext): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv, { quiet: { type: "boolean", short: "q" } });
  } catch (err) {
    ctx.stderr.write(`inhouse pull: ${(err as Error).message}\n\n${PULL_HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    ctx.stdout.write(`${PULL_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    ctx.stderr.write(`inhouse pull: name a model to pull.\n\n${PULL_HELP}\n`);
    return 2;
  }
  const tty = ctx.isTTY ?? Boolean((ctx.stderr as NodeJS.WriteStream).isTTY);
  let failed = 0;
  for (const source of positionals) {
    const code = await pullOne(source, ctx, tty, values.quiet === true);
    if (code !== 0) failed = code;
    if (ctx.signal?.aborted) break;
  }
  return failed;
}

async function pullOne(source: string, ctx: PullContext, tty: boolean, quiet: boolean): Promise<number> {
  const entry = findCatalogModel(source);
  if (entry && !catalogSourceLookup(source)) {
    const hosted = entry.hostedBy.map((h) => (h.model ? `${h.vendor} (${h.model})` : h.vendor)).join(", ");
    ctx.stderr.write(
      `inhouse pull: ${entry.name} is in the catalog but has no GGUF file to pull${source.includes(":") ? " with that quantization" : ""}. ` +
        `${entry.notes ?? ""}${hosted ? ` Hosted by: ${hosted}.` : ""}\n`,
    );
    return 1;
  }
  const progress = quiet ? undefined : progressPrinter(source, ctx.stderr, tty);
  try {
    const r = await resolveModelFile(source, {
      dataDir: ctx.dataDir,
      pull: true,
      lookup: catalogSourceLookup,
      ...(progress ? { onProgress: progress.onProgress } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.hfEndpoint ? { hfEndpoint: ctx.hfEndpoint } : {}),
      ...(ctx.env ? { env: ctx.env } : {}),
    });
    progress?.finish();
    const checked = r.verifiedBy === "hub" ? "matches the hub's sha256" : r.verifiedBy === "catalog" ? "matches the catalog's sha256" : "no published hash to check against";
    ctx.stdout.write(`${r.name}: ${r.path}\n  ${formatBytes(r.size)}, sha256 ${r.sha256} (${checked})\n`);
    return 0;
  } catch (err) {
    progress?.finish();
    if (isGatewayError(err)) {
      ctx.stderr.write(`inhouse pull: ${err.message}\n`);
      return 1;
    }
    if (ctx.signal?.aborted) {
      ctx.stderr.write(`inhouse pull: stopped; run the same command again to resume.\n`);
      return 130;
    }
    throw err;
  }
}

/** One line rewritten in place on a terminal; otherwise a plain line at each tenth of the download. */
function progressPrinter(label: string, out: NodeJS.WritableStream, tty: boolean): { onProgress: (p: PullProgress) => void; finish: () => void } {
  let lastDecile = -1;
  let open = false;
  return {
    onProgress(p) {
      if (p.phase === "connecting") {
        if (!tty) out.write(`${label}: downloading ${p.url}\n`);
        return;
      }
      if (p.phase === "verifying") {
        if (!tty) out.write(`${label}: checking the ${formatBytes(p.bytes)} already on disk\n`);
        return;
      }
      const line = `${label}  ${formatProgressLine(p)}`;
      if (tty) {
        out.write(`\r${line}\x1b[K`);
        open = true;
        return;
      }
      const decile = p.total ? Math.floor((10 * p.bytes) / p.total) : -1;
      if (p.phase === "done" || decile > lastDecile) {
        lastDecile = decile;
        out.write(`${line}\n`);
      }
    },
    finish() {
      if (open) out.write("\n");
      open = false;
    },
  };
}
