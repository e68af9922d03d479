// Streams a remote file into `<final>.partial`, resuming with HTTP Range from the bytes already on disk,
// hashing as it writes (a resumed prefix is rehashed from disk first, since the in-memory hash died with the
// previous process), and checking the result against the published or expected sha256 before handing back.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, stat, statfs, truncate, unlink, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GatewayError } from "../../errors/index.js";
import { feedFile } from "./file-hash.js";
import { ConnectError, httpGet, type HttpGetResult } from "./http-get.js";
import { ProgressMeter } from "./progress-meter.js";
import type { VerifiedBy } from "./types.js";

export interface DownloadOptions {
  url: string;
  partialPath: string;
  hub: boolean;
  expectedSha256?: string | undefined;
  expectedSize?: number | undefined;
  meter: ProgressMeter;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRedirects: number;
  signal?: AbortSignal | undefined;
  auth?: { host: string; token: string } | undefined;
}

export interface DownloadResult {
  sha256: string;
  size: number;
  verifiedBy: VerifiedBy;
}

/** Sidecar of a `.partial`: lets a resume notice that the remote file changed since the first bytes came. */
interface PartialMeta {
  url: string;
  sha256?: string;
  total?: number;
}

/** A transfer that broke off after the response started: worth resuming. */
export class InterruptedError extends Error {
  constructor(message: string, readonly bytesOnDisk: number) {
    super(message);
    this.name = "InterruptedError";
  }
}

export async function downloadOnce(opts: DownloadOptions): Promise<DownloadResult> {
  await mkdir(dirname(opts.partialPath), { recursive: true });
  const metaPath = `${opts.partialPath}.json`;
  let offset = await sizeOf(opts.partialPath);
  const meta = await readMeta(metaPath);
  if (offset > 0 && meta?.url !== opts.url) offset = await restartPartial(opts.partialPath);

  let got = await httpGet(opts.url, { ...opts, rangeStart: offset });
  let restarted = false;
  let status = got.res.statusCode ?? 0;

  if (status === 416 && offset > 0) {
    got.res.resume();
    const total = parseUnsatisfiedTotal(got.res.headers["content-range"]);
    if (total === offset) return finishComplete(opts, offset, got.publishedSha256);
    // The partial is longer than the remote file: it belongs to something else.
    offset = await restartPartial(opts.partialPath);
    got = await httpGet(opts.url, { ...opts, rangeStart: 0 });
    status = got.res.statusCode ?? 0;
  }
  checkStatus(got, status, opts.url);

  let total: number | null = null;
  if (status === 206) {
    const range = parseContentRange(got.res.headers["content-range"]);
    if (!range || range.start !== offset) {
      got.res.resume();
      await restartPartial(opts.partialPath);
      throw new InterruptedError(`server answered a different range (${String(got.res.headers["content-range"])}) than asked for`, 0);
    }
    total = range.total;
  } else {
    // 200: the server ignored Range (or we asked for none); whatever is on disk is discarded.
    if (offset > 0) {
      restarted = true;
      offset = await restartPartial(opts.partialPath);
    }
    const len = Number(got.res.headers["content-length"]);
    total = Number.isSafeInteger(len) && len >= 0 ? len : null;
  }
  total ??= got.publishedSize ?? opts.expectedSize ?? null;

  // A resumed prefix from a different version of the remote file must not be spliced onto this one.
  if (offset > 0 && meta && ((meta.sha256 && got.publishedSha256 && meta.sha256 !== got.publishedSha256) || (meta.total && total && meta.total !== total))) {
    got.res.resume();
    await restartPartial(opts.partialPath);
    throw new InterruptedError("the remote file changed since the partial download began; starting again", 0);
  }
  const newMeta: PartialMeta = { url: opts.url };
  const published = got.publishedSha256;
  if (published ?? opts.expectedSha256) newMeta.sha256 = (published ?? opts.expectedSha256) as string;
  if (total !== null) newMeta.total = total;
  await writeFile(metaPath, JSON.stringify(newMeta));
  if (total !== null) await ensureFreeSpace(opts.partialPath, total - offset, got);

  const hash = createHash("sha256");
  if (offset > 0) {
    opts.meter.emit("verifying");
    await feedFile(opts.partialPath, hash, offset);
  }
  opts.meter.begin(offset, total, restarted);

  let received = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      received += chunk.length;
      opts.meter.add(chunk.length);
      done(null, chunk);
    },
  });
  const out = createWriteStream(opts.partialPath, { flags: offset > 0 ? "a" : "w" });
  try {
    await pipeline(got.res, tap, out, opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    // A write still in flight would land after the next attempt measured the file: wait for the close.
    if (!out.closed) await once(out, "close").catch(() => undefined);
    if (opts.signal?.aborted) throw err;
    throw new InterruptedError(`transfer interrupted: ${(err as Error).message}`, offset + received);
  }
  const size = offset + received;
  if (total !== null && size !== total) {
    throw new InterruptedError(`connection closed after ${size} of ${total} bytes`, size);
  }
  return verify(opts, hash.digest("hex"), size, published);
}

async function finishComplete(opts: DownloadOptions, size: number, published: string | undefined): Promise<DownloadResult> {
  const hash = createHash("sha256");
  opts.meter.emit("verifying");
  await feedFile(opts.partialPath, hash, size);
  opts.meter.begin(size, size, false);
  return verify(opts, hash.digest("hex"), size, published);
}

async function verify(opts: DownloadOptions, sha256: string, size: number, published: string | undefined): Promise<DownloadResult> {
  const expected = published ?? opts.expectedSha256;
  const verifiedBy: VerifiedBy = published ? "hub" : opts.expectedSha256 ? "catalog" : "none";
  if (expected && expected !== sha256) {
    await unlink(opts.partialPath).catch(() => undefined);
    await unlink(`${opts.partialPath}.json`).catch(() => undefined);
    throw new GatewayError(
      "upstream_error",
      `Downloaded ${opts.url} but its sha256 is ${sha256}, not the ${verifiedBy === "hub" ? "server's published" : "catalog's"} ${expected}. ` +
        "The corrupted download was deleted; run the pull again, and if it keeps failing the mirror is serving a bad copy.",
      { retryable: false },
    );
  }
  if (opts.expectedSize !== undefined && opts.expectedSize !== size && !published) {
    await unlink(opts.partialPath).catch(() => undefined);
    throw new GatewayError("upstream_error", `Downloaded ${opts.url} but it has ${size} bytes, not the catalog's ${opts.expectedSize}. The download was deleted.`, {
      retryable: false,
    });
  }
  return { sha256, size, verifiedBy };
}

async function ensureFreeSpace(partialPath: string, needed: number, got: HttpGetResult): Promise<void> {
  const fs = await statfs(dirname(partialPath)).catch(() => undefined);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (free < needed) {
    got.res.resume();
    throw new GatewayError(
      "no_backend",
      `Not enough disk space for ${partialPath.replace(/\.partial$/, "")}: ${needed} more bytes are needed and ${free} are free. Free some space (or set a data dir on a larger disk) and pull again.`,
    );
  }
}

function checkStatus(got: HttpGetResult, status: number, url: string): void {
  if (status === 200 || status === 206) return;
  got.res.resume();
  if (status === 404) throw new GatewayError("model_not_found", `${url} answered 404: no such file. Check the repository and file name.`);
  if (status === 401 || status === 403) {
    throw new GatewayError(
      "upstream_rejected",
      `${url} answered ${status}: the file needs an account or accepted terms (a gated model). Download it in a browser and place it by hand.`,
    );
  }
  if (status >= 500 || status === 429 || status === 408) throw new InterruptedError(`${url} answered ${status}`, 0);
  throw new GatewayError("upstream_error", `${url} answered ${status}.`);
}

async function restartPartial(path: string): Promise<number> {
  await truncate(path, 0).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
  return 0;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function readMeta(path: string): Promise<PartialMeta | undefined> {
  try {
    const v = JSON.parse(await readFile(path, "utf8")) as PartialMeta;
    return typeof v.url === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseContentRange(h: string | undefined): { start: number; total: number | null } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(h?.trim() ?? "");
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[3] === "*" ? null : Number(m[3]) };
}

function parseUnsatisfiedTotal(h: string | undefined): number | undefined {
  const m = /^bytes \*\/(\d+)$/.exec(h?.trim() ?? "");
  return m ? Number(m[1]) : undefined;
}

export { ConnectError };
