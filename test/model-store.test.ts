// The model store's pull against a local hub stand-in: full pull, resume, Range ignored, hash refusal,
// lock-file refusal, the offline error, files placed by hand, progress events.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile, mkdir, utimes, appendFile, truncate } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { GatewayError } from "../src/errors/index.js";
import { readLockFile, resolveModelFile, type PullProgress, type ResolveModelFileOptions } from "../src/engine/model-store/index.js";
import { makeContent, startModelServer, type ModelServer } from "./model-store-server.js";

const SIZE = 300_000;
const SOURCE = "hf:acme/Tiny-GGUF/tiny-Q8_0.gguf";
let server: ModelServer;
let dataDir: string;

before(async () => {
  server = await startModelServer(makeContent(SIZE, 7));
});
after(async () => {
  await server.close();
});
beforeEach(async () => {
  server.behave({});
  server.ranges.length = 0;
  server.cdnAuth.length = 0;
  dataDir = await mkdtemp(join(tmpdir(), "inhouse-store-"));
});

function opts(extra: Partial<ResolveModelFileOptions> = {}): ResolveModelFileOptions {
  return { dataDir, pull: true, env: { INHOUSE_HF_ENDPOINT: server.baseUrl }, retryDelayMs: 10, ...extra };
}
const expectedPath = (): string => join(dataDir, "models", "hf", "acme", "Tiny-GGUF", "tiny-Q8_0.gguf");

async function rejectsWith(p: Promise<unknown>, code: string, ...needles: string[]): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const n of needles) assert.ok(err.message.includes(n), `message should mention ${n}: ${err.message}`);
    return err;
  }
  assert.fail("expected a rejection");
}

function assertMonotonic(events: PullProgress[]): void {
  const dl = events.filter((e) => e.phase === "downloading" || e.phase === "done");
  assert.ok(dl.length >= 2, "at least a start and an end report");
  for (let i = 1; i < dl.length; i++) assert.ok(dl[i]!.bytes >= dl[i - 1]!.bytes, `bytes went back at event ${i}`);
  for (const e of events) {
    assert.ok(e.rate >= 0 && Number.isFinite(e.rate));
    if (e.etaSeconds !== null) assert.ok(e.etaSeconds >= 0);
    if (e.total !== null) assert.ok(e.bytes <= e.total);
  }
}

describe("model store pull", () => {
  test("pulls an hf: source through the hub redirect, verifies the published sha256 and records it", async () => {
    const events: PullProgress[] = [];
    const r = await resolveModelFile(SOURCE, opts({ onProgress: (p) => events.push(p) }));
    assert.equal(r.path, expectedPath());
    assert.equal(r.sha256, server.sha256);
    assert.equal(r.size, SIZE);
    assert.equal(r.verifiedBy, "hub");
    assert.deepEqual(await readFile(r.path), server.content);
    assert.equal(existsSync(`${r.path}.partial`), false);
    const lock = await readLockFile(dataDir);
    const entry = lock.models["models/hf/acme/Tiny-GGUF/tiny-Q8_0.gguf"];
    assert.ok(entry);
    assert.equal(entry.sha256, server.sha256);
    assert.equal(entry.size, SIZE);
    assert.equal(entry.source, SOURCE);
    assert.ok(!Number.isNaN(Date.parse(entry.pulledAt)));
    assertMonotonic(events);
    const last = events.at(-1)!;
    assert.equal(last.phase, "done");
    assert.equal(last.bytes, SIZE);
    assert.equal(last.total, SIZE);
    assert.equal(last.etaSeconds, 0);
    assert.equal(events[0]!.phase, "connecting");
  });

  test("a second resolve uses the file on disk without the network", async () => {
    await resolveModelFile(SOURCE, opts());
    const before = server.ranges.length;
    const r = await resolveModelFile(SOURCE, opts({ pull: false }));
    assert.equal(r.sha256, server.sha256);
    assert.equal(server.ranges.length, before);
  });

  test("resumes an interrupted download with Range and rehashes the kept prefix", async () => {
    server.behave({ cutAfter: 120_000, cutTimes: 1 });
    const err = await rejectsWith(resolveModelFile(SOURCE, opts({ attempts: 1 })), "upstream_error", "resume", `${expectedPath()}.partial`);
    assert.ok(err.retryable);
    const kept = (await stat(`${expectedPath()}.partial`)).size;
    assert.ok(kept > 0 && kept < SIZE, `kept ${kept} bytes`);

    server.behave({});
    const events: PullProgress[] = [];
    const r = await resolveModelFile(SOURCE, opts({ onProgress: (p) => events.push(p) }));
    assert.equal(server.ranges.at(-1), `bytes=${kept}-`);
    assert.equal(r.sha256, server.sha256);
    assert.deepEqual(await readFile(r.path), server.content);
    assertMonotonic(events);
    assert.equal(events.find((e) => e.phase === "downloading")!.bytes, kept);
    assert.equal(events.at(-1)!.resumedFrom, kept);
  });

  test("retries within one call and resumes after repeated cuts", async () => {
    server.behave({ cutAfter: 50_000, cutTimes: 3 });
    const events: PullProgress[] = [];
    const r = await resolveModelFile(SOURCE, opts({ onProgress: (p) => events.push(p) }));
    assert.equal(r.sha256, server.sha256);
    assert.equal(server.ranges.length, 4);
    assert.equal(server.ranges[0], "");
    for (const range of server.ranges.slice(1)) assert.match(range, /^bytes=\d+-$/);
    assertMonotonic(events);
  });

  test("starts again from zero when the server ignores Range", async () => {
    server.behave({ cutAfter: 100_000, cutTimes: 1 });
    await rejectsWith(resolveModelFile(SOURCE, opts({ attempts: 1 })), "upstream_error");
    server.behave({ ignoreRange: true });
    const events: PullProgress[] = [];
    const r = await resolveModelFile(SOURCE, opts({ onProgress: (p) => events.push(p) }));
    assert.match(server.ranges.at(-1)!, /^bytes=\d+-$/);
    assert.equal(r.sha256, server.sha256);
    assert.equal(r.size, SIZE);
    assert.deepEqual(await readFile(r.path), server.content);
    assert.ok(events.some((e) => e.restarted));
    const dl = events.filter((e) => e.phase !== "connecting" && e.phase !== "verifying");
    assert.equal(dl[0]!.bytes, 0, "the restarted transfer reports from zero");
    assertMonotonic(events.filter((e) => e.restarted || e.phase === "connecting"));
  });

  test("a partial of an older upload is not spliced onto a re-uploaded file: the pull starts over", async () => {
    server.behave({ cutAfter: 90_000, cutTimes: 1 });
    await rejectsWith(resolveModelFile(SOURCE, opts({ attempts: 1 })), "upstream_error");
    const v2 = makeContent(SIZE + 1000, 99);
    server.behave({ served: v2, publishServed: true });
    const r = await resolveModelFile(SOURCE, opts({ attempts: 2 }));
    const v2sha = createHash("sha256").update(v2).digest("hex");
    assert.equal(r.sha256, v2sha);
    assert.deepEqual(await readFile(r.path), v2);
  });

  test("a partial that already holds the whole file is finished without downloading it again (416)", async () => {
    const p = `${expectedPath()}.partial`;
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, server.content);
    const r = await resolveModelFile(SOURCE, opts());
    assert.equal(r.sha256, server.sha256);
  });

  test("refuses a download whose sha256 differs from the hub's published hash, and deletes it", async () => {
    const bad = Buffer.from(server.content);
    bad[SIZE - 10] = (bad[SIZE - 10]! + 1) & 0xff;
    server.behave({ served: bad });
    const badSha = createHash("sha256").update(bad).digest("hex");
    await rejectsWith(resolveModelFile(SOURCE, opts()), "upstream_error", server.sha256, badSha);
    assert.equal(existsSync(expectedPath()), false);
    assert.equal(existsSync(`${expectedPath()}.partial`), false);
    assert.deepEqual((await readLockFile(dataDir)).models, {});
  });

  test("refuses a later load when the file was altered in place after the pull", async () => {
    const r = await resolveModelFile(SOURCE, opts());
    const buf = await readFile(r.path);
    buf[1000] = (buf[1000]! ^ 0xff) & 0xff;
    await writeFile(r.path, buf);
    // The per-process hash cache is keyed by size and mtime; make sure the edit is visible even on coarse clocks.
    const later = new Date(Date.now() + 5_000);
    await utimes(r.path, later, later);
    const err = await rejectsWith(resolveModelFile(SOURCE, opts({ pull: false })), "no_backend", r.path, "models.lock.json", "inhouse pull");
    assert.ok(err.message.includes(server.sha256));
  });

  test("refuses a later load when the file's size changed", async () => {
    const r = await resolveModelFile(SOURCE, opts());
    await appendFile(r.path, "extra");
    await rejectsWith(resolveModelFile(SOURCE, opts()), "no_backend", r.path, `${SIZE + 5} bytes`, `recorded ${SIZE}`);
    await truncate(r.path, 10);
    await rejectsWith(resolveModelFile(SOURCE, opts()), "no_backend", r.path);
  });

  test("without network: names the URL, the reason, and where to place the file by hand", async () => {
    const port = await closedPort();
    const err = await rejectsWith(
      resolveModelFile(SOURCE, opts({ env: { INHOUSE_HF_ENDPOINT: `http://127.0.0.1:${port}` } })),
      "no_backend",
      `http://127.0.0.1:${port}/acme/Tiny-GGUF/resolve/main/tiny-Q8_0.gguf`,
      expectedPath(),
      "ECONNREFUSED",
    );
    assert.equal(err.retryable, false);
  });

  test("pull: false on a missing file says how to pull it or place it", async () => {
    await rejectsWith(resolveModelFile(SOURCE, opts({ pull: false })), "no_backend", `inhouse pull ${SOURCE}`, expectedPath());
    assert.equal(server.ranges.length, 0);
  });

  test("a file placed by hand is hashed, checked against the catalog and recorded", async () => {
    const content = server.content;
    const sha = server.sha256;
    const lookup = (name: string) => (name === "tiny" ? { source: SOURCE, sha256: sha } : undefined);
    await mkdir(dirname(expectedPath()), { recursive: true });
    await writeFile(expectedPath(), content);
    const r = await resolveModelFile("tiny", { dataDir, pull: false, lookup, env: { INHOUSE_HF_ENDPOINT: "http://127.0.0.1:9" } });
    assert.equal(r.name, "tiny");
    assert.equal(r.verifiedBy, "catalog");
    const entry = (await readLockFile(dataDir)).models["models/hf/acme/Tiny-GGUF/tiny-Q8_0.gguf"];
    assert.equal(entry?.placedByHand, true);
    assert.equal(entry?.name, "tiny");

    await rm(join(dataDir, "models.lock.json"));
    await writeFile(expectedPath(), Buffer.concat([content.subarray(0, 100), Buffer.from("x")]));
    await rejectsWith(resolveModelFile("tiny", { dataDir, pull: false, lookup }), "no_backend", "catalog lists", sha);
  });

  test("a plain URL without published hash is checked against the catalog's sha256", async () => {
    const good = { source: `${server.baseUrl}/plain/tiny.gguf`, sha256: server.sha256 };
    const r = await resolveModelFile("tiny", opts({ lookup: (n) => (n === "tiny" ? good : undefined) }));
    assert.equal(r.verifiedBy, "catalog");
    assert.equal(r.path, join(dataDir, "models", "url", new URL(server.baseUrl).hostname + "_" + new URL(server.baseUrl).port, "tiny.gguf"));

    const wrong = { source: `${server.baseUrl}/plain/other.gguf`, sha256: "0".repeat(64) };
    await rejectsWith(resolveModelFile("other", opts({ lookup: () => wrong })), "upstream_error", "catalog's", "0".repeat(64));
  });

  test("a URL with neither a published nor a catalog hash is recorded as unverified", async () => {
    const r = await resolveModelFile(`${server.baseUrl}/plain/free.gguf`, opts());
    assert.equal(r.verifiedBy, "none");
    assert.equal(r.sha256, server.sha256);
  });

  test("concurrent pulls of different files both land in the lock file; the same file is fetched once", async () => {
    const a = resolveModelFile(SOURCE, opts());
    const b = resolveModelFile("hf:acme/Tiny-GGUF/other-Q4.gguf", opts());
    const c = resolveModelFile(SOURCE, opts());
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    assert.equal(ra.path, rc.path);
    assert.notEqual(ra.path, rb.path);
    assert.equal(server.ranges.length, 2);
    const lock = await readLockFile(dataDir);
    assert.deepEqual(Object.keys(lock.models).sort(), ["models/hf/acme/Tiny-GGUF/other-Q4.gguf", "models/hf/acme/Tiny-GGUF/tiny-Q8_0.gguf"]);
  });

  test("an unknown bare name is model_not_found and points at `inhouse models`", async () => {
    await rejectsWith(resolveModelFile("no-such-model", opts({ lookup: () => undefined })), "model_not_found", "inhouse models");
  });

  test("a missing local .gguf path is model_not_found naming the path", async () => {
    await rejectsWith(resolveModelFile(join(dataDir, "nope.gguf"), opts()), "model_not_found", join(dataDir, "nope.gguf"));
  });

  test("bounded redirects", async () => {
    await rejectsWith(resolveModelFile(`${server.baseUrl}/loop`, opts({ maxRedirects: 3 })), "upstream_error", "more than 3 redirects");
  });

  test("a stalled body hits the idle timeout and keeps the partial for a resume", async () => {
    server.behave({ stallAfter: 30_000 });
    await rejectsWith(resolveModelFile(SOURCE, opts({ idleTimeoutMs: 300, attempts: 1 })), "upstream_error", "no data for 300 ms");
    assert.equal((await stat(`${expectedPath()}.partial`)).size, 30_000);
  });

  test("an abort signal stops the download and keeps the partial", async () => {
    server.behave({ stallAfter: 10_000 });
    const ac = new AbortController();
    const p = resolveModelFile(SOURCE, opts({ signal: ac.signal, onProgress: (e) => e.phase === "downloading" && ac.abort(new Error("user cancelled")) }));
    await assert.rejects(p, (err: Error) => err.name === "AbortError" || /user cancelled/.test(err.message));
    assert.ok(existsSync(`${expectedPath()}.partial`));
  });
});

describe("model store safeguards", () => {
  test("a Hugging Face token goes to the hub host only, never to the CDN it redirects to", async () => {
    server.behave({ requireToken: "hf_secret", cdnOrigin: server.altBaseUrl });
    await rejectsWith(resolveModelFile(SOURCE, opts()), "upstream_rejected", "401", "place it by hand");
    const r = await resolveModelFile(SOURCE, opts({ env: { INHOUSE_HF_ENDPOINT: server.baseUrl, HF_TOKEN: "hf_secret" } }));
    assert.equal(r.sha256, server.sha256);
    assert.deepEqual(server.cdnAuth, [""]);
  });

  test("a download held by another live process is refused; a lock left by a dead one is taken over", async () => {
    const { spawn } = await import("node:child_process");
    const { once } = await import("node:events");
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    await mkdir(dirname(expectedPath()), { recursive: true });
    await writeFile(`${expectedPath()}.partial.lock`, String(child.pid));
    try {
      const err = await rejectsWith(resolveModelFile(SOURCE, opts()), "overloaded", `pid ${child.pid}`);
      assert.equal(err.retryAfter, 30);
    } finally {
      child.kill();
      await once(child, "exit");
    }
    const r = await resolveModelFile(SOURCE, opts());
    assert.equal(r.sha256, server.sha256);
    assert.equal(existsSync(`${expectedPath()}.partial.lock`), false);
  });

  test("a progress listener that throws does not break the download", async () => {
    const r = await resolveModelFile(SOURCE, opts({ onProgress: () => { throw new Error("listener bug"); } }));
    assert.equal(r.sha256, server.sha256);
  });

  test("refuses before writing when the disk cannot hold the file", async () => {
    server.behave({ advertiseLength: 1e15, noHash: true });
    await rejectsWith(resolveModelFile(SOURCE, opts({ attempts: 1 })), "no_backend", "Not enough disk space", expectedPath());
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as import("node:net").AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
