// The gateway's log output, captured from pino's destination while real requests carrying the admin key,
// a virtual key, an upstream key and a prompt with secret-looking strings go through it: every line is JSON
// with a request id where it concerns a request, and none of those values appears — unless the operator
// turned `log.prompts` on, in which case the prompt (and still no key) is logged.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { buildGateway, type Gateway } from "../src/cli/gateway.js";
import { loadConfig } from "../src/config/index.js";
import { startServer, type RunningServer } from "../src/server/app.js";
import { createLogger } from "../src/telemetry/logger.js";
import { chatChunks, chatCompletion, errorBody, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY } from "./helpers/gateway.js";

const UPSTREAM_KEY = "sk-upstream-4f1c9e2b7a6d5e3f8a9b";
const HEADER_SECRET = "hdr-secret-91b2c3d4e5f60718";
const PROMPT_MARKER = "violet-otter-7731";
const PROMPT_SECRETS = ["AKIAIOSFODNN7EXAMPLE", "hunter2-Zq8"];
const PROMPT = `${PROMPT_MARKER}: my AWS key is ${PROMPT_SECRETS[0]} and my password is ${PROMPT_SECRETS[1]}`;

interface Logged {
  level: number;
  time: string;
  service: string;
  msg?: string;
  requestId?: string;
  [k: string]: unknown;
}

interface Harness {
  url: string;
  lines: string[];
  close(): Promise<void>;
}

/** A gateway like test/helpers/gateway.ts, but its logger writes into `lines` at the most verbose level. */
async function startLogged(up: FakeUpstream, logYaml: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "inhouse-log-"));
  const file = join(dir, "inhouse.yaml");
  writeFileSync(
    file,
    `data_dir: ${dir}/data
server: { port: 0 }
log: ${logYaml}
router: { retries: 0 }
backends:
  up: { type: openai, base_url: ${up.url}, api_key: ${UPSTREAM_KEY}, headers: { x-upstream-secret: ${HEADER_SECRET} } }
models:
  chat: { targets: [up/m1] }
  broken: { targets: [up/denied] }
`,
  );
  const config = loadConfig({ file, env: {}, cwd: dir });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const log = createLogger(config.log.level, sink);
  const gateway: Gateway = await buildGateway({ config, adminKey: ADMIN_KEY, log });
  const running: RunningServer = await startServer(gateway.deps);
  return {
    url: running.url,
    lines,
    close: async () => {
      await running.shutdown(1000);
      await gateway.close();
    },
  };
}

async function call(url: string, path: string, init: { key?: string; keyHeader?: "authorization" | "x-api-key"; body: unknown; raw?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.key) headers[init.keyHeader ?? "authorization"] = init.keyHeader === "x-api-key" ? init.key : `Bearer ${init.key}`;
  const res = await fetch(`${url}${path}`, { method: "POST", headers, body: init.raw ?? JSON.stringify(init.body) });
  return { status: res.status, id: res.headers.get("x-request-id") ?? "", text: await res.text() };
}

const chatBody = (model: string, stream = false) => ({ model, stream, messages: [{ role: "user", content: PROMPT }] });

function parsed(lines: string[]): Logged[] {
  return lines.map((line) => {
    const obj = JSON.parse(line) as Logged;
    assert.equal(typeof obj.level, "number", `a pino level on ${line}`);
    assert.match(obj.time, /^\d{4}-\d\d-\d\dT/, "an ISO time");
    assert.equal(obj.service, "inhouse");
    return obj;
  });
}

let up: FakeUpstream;

before(async () => {
  up = await startFakeUpstream();
  up.respond((req) => {
    // Like some vendors, the upstream echoes the key it rejected.
    if (req.body?.model === "denied") return { status: 500, json: errorBody(`Incorrect API key provided: ${UPSTREAM_KEY}`, "server_error") };
    return req.body?.stream ? { sse: chatChunks({ model: req.body.model }, true) } : { json: chatCompletion({ model: req.body?.model }) };
  });
});
after(async () => {
  await up?.close();
});

describe("with log.prompts off (the default)", () => {
  let h: Harness;
  let virtualKey = "";
  const ids: string[] = [];

  before(async () => {
    h = await startLogged(up, "{ level: trace }");
    const created = await call(h.url, "/admin/keys", { key: ADMIN_KEY, body: { name: "team-a" } });
    assert.equal(created.status, 201);
    virtualKey = (JSON.parse(created.text) as { key: string }).key;

    const results = [
      await call(h.url, "/v1/chat/completions", { key: virtualKey, body: chatBody("chat") }),
      await call(h.url, "/v1/chat/completions", { key: ADMIN_KEY, keyHeader: "x-api-key", body: chatBody("chat", true) }),
      await call(h.url, "/v1/chat/completions", { key: ADMIN_KEY, body: chatBody("broken") }),
      await call(h.url, "/v1/chat/completions", { key: "ih-not-a-real-key-0123456789", body: chatBody("chat") }),
      await call(h.url, "/v1/chat/completions", { key: virtualKey, body: null, raw: `{"model":"chat","messages":[{"role":"user","content":"${PROMPT}"` }),
    ];
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 502, 401, 400],
    );
    ids.push(...results.map((r) => r.id));
    await up.requests.at(-1)?.ended;
  });
  after(async () => {
    await h?.close();
  });

  test("the gateway logged structured JSON, with the request id on every request line", () => {
    const logs = parsed(h.lines);
    const requests = logs.filter((l) => l.msg === "request");
    // At trace level every API request that reached the router-facing path has a line; the 502 is a warning.
    assert.ok(requests.length >= 3, `request lines: ${requests.length}`);
    for (const r of requests) assert.ok(r.requestId && ids.includes(r.requestId), `request id on ${JSON.stringify(r)}`);
    const failed = requests.find((r) => r.requestId === ids[2]);
    assert.equal(failed?.level, 40, "a 5xx is logged as a warning");
  });

  test("no key, upstream key, header secret or prompt text appears anywhere in the log", () => {
    const all = h.lines.join("\n");
    assert.ok(all.length > 0);
    for (const secret of [ADMIN_KEY, virtualKey, UPSTREAM_KEY, HEADER_SECRET, "ih-not-a-real-key-0123456789", PROMPT_MARKER, ...PROMPT_SECRETS]) {
      assert.equal(all.includes(secret), false, `the log contains ${secret.slice(0, 12)}…`);
    }
  });

  test("the logger redacts key-bearing fields even when code logs them by mistake", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const log = createLogger("info", sink);
    log.info({ headers: { authorization: `Bearer ${ADMIN_KEY}`, "x-api-key": ADMIN_KEY }, backend: { api_key: UPSTREAM_KEY }, config: { admin_key: ADMIN_KEY } }, "oops");
    const out = lines.join("");
    assert.equal(out.includes(ADMIN_KEY), false);
    assert.equal(out.includes(UPSTREAM_KEY), false);
    assert.match(out, /\[redacted\]/);
  });
});

describe("with log.prompts on", () => {
  let h: Harness;
  let id = "";

  before(async () => {
    h = await startLogged(up, "{ level: info, prompts: true }");
    const r = await call(h.url, "/v1/chat/completions", { key: ADMIN_KEY, body: chatBody("chat") });
    assert.equal(r.status, 200);
    id = r.id;
  });
  after(async () => {
    await h?.close();
  });

  test("the prompt is logged with its request id, and the keys still are not", () => {
    const logs = parsed(h.lines);
    const prompt = logs.find((l) => l.msg === "prompt");
    assert.ok(prompt, "a prompt line");
    assert.equal(prompt.requestId, id);
    assert.equal(prompt.model, "chat");
    assert.ok(JSON.stringify(prompt.prompt).includes(PROMPT_MARKER));
    const all = h.lines.join("\n");
    for (const secret of [ADMIN_KEY, UPSTREAM_KEY, HEADER_SECRET]) assert.equal(all.includes(secret), false);
  });
});
