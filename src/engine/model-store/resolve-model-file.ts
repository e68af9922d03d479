// The model store's one entry point: a catalog name, local path, hf: URI or URL in; a verified file on disk out.
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GatewayError } from "../../errors/index.js";
import { ConnectError, downloadOnce, InterruptedError, type DownloadResult } from "./download.js";
import { acquireDownloadLock } from "./download-lock.js";
import { hashFileCached, rememberFileHash } from "./file-hash.js";
import { readLockFile, recordLockEntry, lockFilePath, type LockEntry } from "./lock-file.js";
import { parseModelSource, type ModelSourceSpec } from "./model-source.js";
import { ProgressMeter } from "./progress-meter.js";
import type { ResolveModelFileOptions, ResolvedModelFile } from "./types.js";

type RemoteSpec = Extract<ModelSourceSpec, { kind: "remote" }>;

/** Pulls of the same file in one process share one download. */
const inFlight = new Map<string, Promise<ResolvedModelFile>>();

export function modelsDir(dataDir: string): string {
  return join(dataDir, "models");
}

/** Where a remote source's file lives (or would live) under the data dir. */
export function expectedModelPath(dataDir: string, spec: RemoteSpec): string {
  return join(modelsDir(dataDir), ...spec.relPath.split("/"));
}

export async function resolveModelFile(source: string, opts: ResolveModelFileOptions): Promise<ResolvedModelFile> {
  const spec = parseModelSource(source, opts);
  if (spec.kind === "local") return resolveLocal(spec);
  const path = expectedModelPath(opts.dataDir, spec);
  const running = inFlight.get(path);
  if (running) return running;
  const job = resolveRemote(spec, path, opts).finally(() => inFlight.delete(path));
  inFlight.set(path, job);
  return job;
}

async function resolveLocal(spec: Extract<ModelSourceSpec, { kind: "local" }>): Promise<ResolvedModelFile> {
  try {
    const { sha256, size } = await hashFileCached(spec.path);
    return { path: spec.path, sha256, size, source: spec.source, name: spec.name, verifiedBy: "none" };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new GatewayError("model_not_found", `Model file ${spec.path} does not exist. Check the path in the config, or use a catalog name or hf: URI.`);
    }
    throw err;
  }
}

async function resolveRemote(spec: RemoteSpec, path: string, opts: ResolveModelFileOptions): Promise<ResolvedModelFile> {
  const rel = relativeKey(spec);
  const lock = await readLockFile(opts.dataDir);
  const entry = lock.models[rel];
  const present = await statOrUndefined(path);
  if (present) {
    if (entry) return checkAgainstLock(spec, path, entry, present.size, opts.dataDir);
    return adoptPlacedFile(spec, path, opts.dataDir);
  }
  if (!opts.pull) {
    throw new GatewayError(
      "no_backend",
      `Model "${spec.name}" is not downloaded yet. Run \`inhouse pull ${spec.name}\`, or download ${spec.url} and place it at ${path}.`,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  const release = await acquireDownloadLock(path);
  let result: DownloadResult;
  try {
    result = await download(spec, path, opts);
    await rename(`${path}.partial`, path);
    await unlink(`${path}.partial.json`).catch(() => undefined);
  } finally {
    await release();
  }
  await rememberFileHash(path, result.sha256);
  await recordLockEntry(opts.dataDir, {
    name: spec.name,
    source: spec.source,
    path: rel,
    size: result.size,
    sha256: result.sha256,
    pulledAt: new Date().toISOString(),
    verifiedBy: result.verifiedBy,
  });
  return { path, sha256: result.sha256, size: result.size, source: spec.source, name: spec.name, verifiedBy: result.verifiedBy };
}

async function download(spec: RemoteSpec, path: string, opts: ResolveModelFileOptions): Promise<DownloadResult> {
  const meter = new ProgressMeter({ base: { source: spec.name, url: spec.url, path }, onProgress: opts.onProgress });
  meter.emit("connecting");
  const attempts = Math.max(1, opts.attempts ?? 4);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await downloadOnce({
        url: spec.url,
        partialPath: `${path}.partial`,
        hub: spec.hub,
        expectedSha256: spec.expectedSha256,
        expectedSize: spec.expectedSize,
        meter,
        connectTimeoutMs: opts.connectTimeoutMs ?? 20_000,
        idleTimeoutMs: opts.idleTimeoutMs ?? 60_000,
        maxRedirects: opts.maxRedirects ?? 10,
        signal: opts.signal,
        auth: spec.hub ? hubAuth(spec.url, opts) : undefined,
      });
      meter.emit("done");
      return result;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (err instanceof ConnectError && err.errno === "EREDIRECTS") {
        throw new GatewayError("upstream_error", `Download of ${spec.url} failed: ${err.message}.`, { cause: err });
      } else if (err instanceof ConnectError) {
        // Refused or unresolvable hosts will not come back in a second: fail at once with the manual route.
        const transient = err.errno === "ETIMEDOUT" || err.errno === "ECONNRESET";
        if (!transient || attempt >= attempts) throw noNetworkError(spec, path, err);
      } else if (err instanceof InterruptedError) {
        if (attempt >= attempts) {
          throw new GatewayError(
            "upstream_error",
            `Download of ${spec.url} stopped (${err.message}) after ${attempts} attempt(s). ` +
              `${err.bytesOnDisk} bytes are kept in ${path}.partial; run \`inhouse pull ${spec.name}\` again to resume.`,
            { cause: err },
          );
        }
      } else {
        throw err;
      }
      await delay(attempt * (opts.retryDelayMs ?? 500), opts.signal);
    }
  }
}

/** A Hugging Face token for gated repositories, sent to the hub's own host only (never to the CDN it redirects to). */
function hubAuth(url: string, opts: ResolveModelFileOptions): { host: string; token: string } | undefined {
  const env = opts.env ?? process.env;
  const token = opts.hfToken ?? env["INHOUSE_HF_TOKEN"] ?? env["HF_TOKEN"];
  return token ? { host: new URL(url).host, token } : undefined;
}

function noNetworkError(spec: RemoteSpec, path: string, err: ConnectError): GatewayError {
  return new GatewayError(
    "no_backend",
    `Cannot download model "${spec.name}" from ${spec.url} (${err.errno ?? err.message}; is there network access to ${new URL(err.url).host}?). ` +
      `To install it by hand, fetch that URL on a machine that can reach it and copy the file to ${path}` +
      `${spec.expectedSha256 ? ` (sha256 ${spec.expectedSha256}${spec.expectedSize ? `, ${spec.expectedSize} bytes` : ""})` : ""}; ` +
      "inhouse will hash it and record it in models.lock.json on first use." +
      (spec.hub ? " A Hugging Face mirror can be set with INHOUSE_HF_ENDPOINT." : ""),
    { cause: err },
  );
}

async function checkAgainstLock(spec: RemoteSpec, path: string, entry: LockEntry, size: number, dataDir: string): Promise<ResolvedModelFile> {
  const fix = `Delete it and run \`inhouse pull ${spec.name}\` to download it again, or remove its entry from ${lockFilePath(dataDir)} if you replaced it on purpose.`;
  if (size !== entry.size) {
    throw new GatewayError("no_backend", `Model file ${path} has ${size} bytes but models.lock.json recorded ${entry.size}: it changed after it was pulled. ${fix}`);
  }
  const { sha256 } = await hashFileCached(path);
  if (sha256 !== entry.sha256) {
    throw new GatewayError(
      "no_backend",
      `Model file ${path} has sha256 ${sha256} but models.lock.json recorded ${entry.sha256}: it changed after it was pulled. ${fix}`,
    );
  }
  return { path, sha256, size, source: spec.source, name: spec.name, verifiedBy: entry.verifiedBy };
}

/** A file copied into place by hand (the offline route): check it against the catalog when we can, then record it. */
async function adoptPlacedFile(spec: RemoteSpec, path: string, dataDir: string): Promise<ResolvedModelFile> {
  const { sha256, size } = await hashFileCached(path);
  if (spec.expectedSha256 && spec.expectedSha256 !== sha256) {
    throw new GatewayError(
      "no_backend",
      `Model file ${path} has sha256 ${sha256}, but the catalog lists ${spec.expectedSha256} for "${spec.name}". ` +
        `It is not the expected file: replace it with ${spec.url}, or delete it and run \`inhouse pull ${spec.name}\`.`,
    );
  }
  const verifiedBy = spec.expectedSha256 ? "catalog" : "none";
  await recordLockEntry(dataDir, {
    name: spec.name,
    source: spec.source,
    path: relativeKey(spec),
    size,
    sha256,
    pulledAt: new Date().toISOString(),
    verifiedBy,
    placedByHand: true,
  });
  return { path, sha256, size, source: spec.source, name: spec.name, verifiedBy };
}

function relativeKey(spec: RemoteSpec): string {
  return `models/${spec.relPath}`;
}

async function statOrUndefined(path: string): Promise<{ size: number } | undefined> {
  try {
    const st = await stat(path);
    return st.isFile() ? { size: st.size } : undefined;
  } catch {
    return undefined;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      },
      { once: true },
    );
  });
}
