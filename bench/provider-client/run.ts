// Client-side cost of the OpenAI-compatible provider against the plain node:http client a minimal proxy
// would use, on loopback, in one run: the upstream runs in its own process on core 1, this process on
// core 0 (when taskset exists). Figures are requests/s at 16 in flight and client CPU per request.
//   node --import tsx bench/provider-client/run.ts [requestsPerRound]
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { createOpenAICompatible } from "../../src/providers/openai-compatible/index.js";
import type { CallOptions, ChatRequest } from "../../src/spec/index.js";

const N = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = 16;
const ROUNDS = 5;

const REQ: ChatRequest = { model: "alias", messages: [{ role: "user", content: "Hello, who are you?" }], temperature: 0.7 };

async function startUpstream(): Promise<{ port: number; stop: () => void }> {
  const script = fileURLToPath(new URL("./upstream.js", import.meta.url));
  const child = spawn("taskset", ["-c", "1", process.execPath, script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (b: Buffer) => resolve(Number(b.toString().trim())));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

type Call = () => Promise<unknown>;

async function round(call: Call, n: number): Promise<{ rps: number; cpuUs: number }> {
  let started = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (started < n) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { rps: n / seconds, cpuUs: (cpu.user + cpu.system) / n };
}

type Result = { rps: number; cpuUs: number };

/** Rounds interleave the clients (A B C A B C ...) so drift in a shared machine hits all of them alike. */
async function measureAll(calls: [string, Call][]): Promise<[string, Result][]> {
  for (const [, call] of calls) await round(call, Math.min(2000, N));
  const results = calls.map(() => [] as Result[]);
  for (let i = 0; i < ROUNDS; i++) for (let j = 0; j < calls.length; j++) results[j]!.push(await round(calls[j]![1], N));
  return calls.map(([name], j) => {
    const rs = results[j]!;
    const median = (f: (r: Result) => number) => rs.map(f).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    return [name, { rps: median((r) => r.rps), cpuUs: median((r) => r.cpuUs) }];
  });
}

const { port, stop } = await startUpstream();
const origin = `http://127.0.0.1:${port}`;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const body = (stream: boolean) => JSON.stringify({ ...REQ, model: "canned", stream });

function nodeHttp(stream: boolean, parse: boolean): Call {
  return () =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/v1/chat/completions", agent, headers: { "content-type": "application/json" } },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () => {
            const text = Buffer.concat(parts).toString("utf8");
            if (!parse) return resolve(text);
            if (!stream) return resolve(JSON.parse(text));
            // What a parsing client must do at least: split events and parse each.
            let n = 0;
            for (const line of text.split("\n")) if (line.startsWith("data: {")) n += JSON.parse(line.slice(6)) ? 1 : 0;
            resolve(n);
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body(stream));
    });
}

const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
const undiciJson: Call = async () => {
  const res = await pool.request({ path: "/v1/chat/completions", method: "POST", headers: ["content-type", "application/json"], body: body(false) });
  return res.body.json();
};

const provider = createOpenAICompatible({ backend: "bench", baseUrl: `${origin}/v1`, inHouse: true, preset: "vllm", maxConnections: CONCURRENCY });
const opts = (): CallOptions => ({
  model: "canned",
  signal: new AbortController().signal,
  timeouts: { connect: 5000, firstToken: 30_000, idle: 30_000, total: 60_000 },
  requestId: "bench",
});
const providerChat: Call = () => provider.chat(REQ, opts());
const providerStream: Call = async () => {
  let n = 0;
  for await (const _ of await provider.chatStream(REQ, opts())) n++;
  return n;
};

const rows = await measureAll([
  ["node:http, JSON, body read unparsed", nodeHttp(false, false)],
  ["node:http, JSON, parsed", nodeHttp(false, true)],
  ["undici Pool, JSON, parsed", undiciJson],
  ["provider.chat()", providerChat],
  ["node:http, SSE, events parsed", nodeHttp(true, true)],
  ["provider.chatStream(), all chunks", providerStream],
]);

const refJson = rows[1]![1];
const refSse = rows[4]![1];
console.log(`\nprovider client cost, ${N} requests x ${ROUNDS} interleaved rounds (median of each column), ${CONCURRENCY} in flight, upstream on its own core\n`);
console.log("| client | req/s | CPU µs/req | req/s vs node:http parsed | CPU vs node:http parsed |");
console.log("|---|---:|---:|---:|---:|");
rows.forEach(([name, r], i) => {
  const ref = i >= 4 ? refSse : refJson;
  console.log(`| ${name} | ${Math.round(r.rps)} | ${r.cpuUs.toFixed(1)} | ${(r.rps / ref.rps).toFixed(2)} | ${(r.cpuUs / ref.cpuUs).toFixed(2)} |`);
});
await provider.close();
await pool.close();
agent.destroy();
stop();
