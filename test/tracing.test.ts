// Traces reach an OTLP/HTTP receiver that the test runs: requests through a real gateway and a fake
// upstream become a SERVER span per request with a child per upstream attempt, carrying the GenAI semantic
// conventions' attributes, joined to the caller's trace when it sends a `traceparent`.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { chatChunks, chatCompletion, embeddingResponse, errorBody, fakeVectors, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number };
  events?: { name: string }[];
}
interface Received {
  contentType: string | undefined;
  service: string | undefined;
  spans: OtlpSpan[];
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

let receiver: Server;
let receiverUrl: string;
const batches: Received[] = [];
let up: FakeUpstream;
let gw: TestGateway;
const savedDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

function value(v: OtlpValue | undefined): string | number | boolean | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  return v.boolValue;
}

function attrs(span: OtlpSpan): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(span.attributes.map((a) => [a.key, value(a.value)]));
}

const allSpans = () => batches.flatMap((b) => b.spans);

/** Waits (bounded) until the receiver has spans of `traceId` satisfying `enough`. */
async function spansOf(traceId: string, enough: (spans: OtlpSpan[]) => boolean): Promise<OtlpSpan[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const spans = allSpans().filter((s) => s.traceId === traceId);
    if (enough(spans)) return spans;
    if (Date.now() > deadline) assert.fail(`spans of trace ${traceId} did not arrive; got ${JSON.stringify(spans.map((s) => s.name))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The trace of the request whose record carries this request id (for requests without a traceparent). */
async function traceOfRequest(requestId: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const span = allSpans().find((s) => attrs(s)["inhouse.request_id"] === requestId);
    if (span) return span.traceId;
    if (Date.now() > deadline) assert.fail(`no span for request ${requestId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  // Export every 50 ms instead of every 5 s, so the suite waits for spans briefly.
  process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue;
        batches.push({ contentType: req.headers["content-type"], service, spans: rs.scopeSpans.flatMap((s) => s.spans) });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  up = await startFakeUpstream();
  up.respond((req) => {
    if (req.path.endsWith("/embeddings")) return { json: embeddingResponse(fakeVectors(1)) };
    if (req.body?.model === "flaky") return { status: 500, json: errorBody("boom", "server_error") };
    return req.body?.stream ? { sse: chatChunks({ model: req.body.model }, true) } : { json: chatCompletion({ model: req.body?.model }) };
  });
  gw = await startGateway(`
telemetry: { otlp_endpoint: ${receiverUrl}, service_name: inhouse-trace-test }
router: { retries: 0 }
backends:
  up: { type: openai, base_url: ${up.url} }
models:
  chat: { targets: [up/m1] }
  safe: { targets: [up/flaky, up/m1] }
  embed: { targets: [up/e1] }
`);
});

after(async () => {
  await gw?.close();
  await up?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  if (savedDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  else process.env.OTEL_BSP_SCHEDULE_DELAY = savedDelay;
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${gw.v1}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  await res.clone().text();
  return res;
}

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");

test("a request with a traceparent joins the caller's trace: SERVER span, one CLIENT child per attempt", async () => {
  const traceId = hex(32);
  const callerSpan = hex(16);
  const res = await post(
    "/chat/completions",
    { model: "safe", messages: [{ role: "user", content: "hi" }], temperature: 0.3, max_tokens: 40 },
    { traceparent: `00-${traceId}-${callerSpan}-01` },
  );
  assert.equal(res.status, 200);
  const spans = await spansOf(traceId, (s) => s.length >= 3);
  assert.equal(spans.length, 3);

  const server = spans.find((s) => s.kind === SPAN_KIND_SERVER);
  assert.ok(server, "a SERVER span for the request");
  assert.equal(server.parentSpanId, callerSpan, "the request span's parent is the caller's span");
  assert.equal(server.name, "chat safe");
  const sa = attrs(server);
  assert.equal(sa["gen_ai.operation.name"], "chat");
  assert.equal(sa["gen_ai.request.model"], "safe");
  assert.equal(sa["gen_ai.response.model"], "m1");
  assert.equal(sa["gen_ai.usage.input_tokens"], 7);
  assert.equal(sa["gen_ai.usage.output_tokens"], 5);
  assert.equal(sa["gen_ai.request.temperature"], 0.3);
  assert.equal(sa["gen_ai.request.max_tokens"], 40);
  assert.equal(sa["http.response.status_code"], 200);
  assert.equal(sa["inhouse.request_id"], res.headers.get("x-request-id"));
  assert.equal(sa["error.type"], undefined);

  const children = spans.filter((s) => s.parentSpanId === server.spanId).sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
  assert.equal(children.length, 2, "two attempts: up/flaky failed, up/m1 answered");
  const [failed, answered] = children as [OtlpSpan, OtlpSpan];
  const port = Number(new URL(up.url).port);
  for (const c of children) {
    assert.equal(c.kind, SPAN_KIND_CLIENT);
    const a = attrs(c);
    assert.equal(a["gen_ai.operation.name"], "chat");
    assert.equal(a["gen_ai.provider.name"], "openai_compatible");
    assert.equal(a["server.address"], "127.0.0.1");
    assert.equal(a["server.port"], port);
    assert.ok(BigInt(c.startTimeUnixNano) >= BigInt(server.startTimeUnixNano), "a child starts inside its parent");
    assert.ok(BigInt(c.endTimeUnixNano) <= BigInt(server.endTimeUnixNano), "a child ends inside its parent");
  }
  assert.equal(failed.name, "chat flaky");
  assert.equal(attrs(failed)["error.type"], "upstream_error");
  assert.equal(failed.status?.code, STATUS_ERROR);
  assert.equal(answered.name, "chat m1");
  const aa = attrs(answered);
  assert.equal(aa["gen_ai.request.model"], "m1");
  assert.equal(aa["gen_ai.response.model"], "m1");
  assert.equal(aa["gen_ai.usage.output_tokens"], 5);
  assert.equal(aa["error.type"], undefined);
  assert.notEqual(answered.status?.code, STATUS_ERROR);

  const batch = batches.find((b) => b.spans.some((s) => s.traceId === traceId));
  assert.equal(batch?.service, "inhouse-trace-test");
  assert.match(batch?.contentType ?? "", /application\/json/);
});

test("a streamed request without traceparent starts its own trace; the answering attempt lasts the stream", async () => {
  const res = await post("/chat/completions", { model: "chat", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
  assert.equal(res.status, 200);
  const traceId = await traceOfRequest(res.headers.get("x-request-id") ?? "");
  const spans = await spansOf(traceId, (s) => s.length >= 2);
  const server = spans.find((s) => s.kind === SPAN_KIND_SERVER);
  assert.ok(server);
  assert.equal(server.parentSpanId ?? "", "", "a root span");
  const sa = attrs(server);
  assert.equal(sa["inhouse.stream"], true);
  assert.equal(sa["gen_ai.usage.output_tokens"], 5);
  assert.equal(typeof sa["inhouse.time_to_first_token_ms"], "number");
  const child = spans.find((s) => s.parentSpanId === server.spanId);
  assert.ok(child);
  assert.equal(BigInt(child.endTimeUnixNano), BigInt(server.endTimeUnixNano), "the answering attempt of a stream ends with the request");
});

test("embeddings and failed requests are traced too; error.type names the error code", async () => {
  const emb = await post("/embeddings", { model: "embed", input: "hello" });
  assert.equal(emb.status, 200);
  const embTrace = await traceOfRequest(emb.headers.get("x-request-id") ?? "");
  const embSpans = await spansOf(embTrace, (s) => s.length >= 2);
  assert.ok(embSpans.some((s) => s.kind === SPAN_KIND_SERVER && s.name === "embeddings embed" && attrs(s)["gen_ai.operation.name"] === "embeddings"));

  const missing = await post("/chat/completions", { model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
  assert.equal(missing.status, 404);
  const trace = await traceOfRequest(missing.headers.get("x-request-id") ?? "");
  const [span] = await spansOf(trace, (s) => s.length >= 1);
  assert.ok(span);
  assert.equal(attrs(span)["error.type"], "model_not_found");
  assert.equal(attrs(span)["http.response.status_code"], 404);
  assert.notEqual(span.status?.code, STATUS_ERROR, "a 4xx is the caller's error, not the server span's");
});

test("a caller's unsampled traceparent is followed: no spans for that trace", async () => {
  const unsampled = hex(32);
  await post("/chat/completions", { model: "chat", messages: [{ role: "user", content: "hi" }] }, { traceparent: `00-${unsampled}-${hex(16)}-00` });
  const sampled = hex(32);
  await post("/chat/completions", { model: "chat", messages: [{ role: "user", content: "hi" }] }, { traceparent: `00-${sampled}-${hex(16)}-01` });
  // Spans are exported in the order they ended: once the later request's spans are in, the earlier's would be.
  await spansOf(sampled, (s) => s.length >= 2);
  assert.equal(allSpans().filter((s) => s.traceId === unsampled).length, 0);
});
