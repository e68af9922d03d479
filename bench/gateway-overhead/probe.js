// @ts-check
// One-off requests: wait until a subject answers, and check that it answers correctly (JSON, and SSE that is
// streamed rather than buffered) before any load is put on it.
import http from "node:http";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { CANNED_SSE_EVENTS } from "./canned.js";

/** A TCP port that was free a moment ago. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {{ status: number, text: string, contentType: string, firstDataMs: number, endMs: number }} Answer
 */

/**
 * @param {string} url @param {Record<string, string>} headers @param {string} body
 * @returns {Promise<Answer>}
 */
export function post(url, headers, body) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const t = performance.now();
    let firstDataMs = Number.NaN;
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (s) => {
          if (Number.isNaN(firstDataMs) && s.includes("data:")) firstDataMs = performance.now() - t;
          text += s;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text, contentType: String(res.headers["content-type"] ?? ""), firstDataMs, endMs: performance.now() - t }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Polls with the JSON request until the subject answers 200 (or the deadline passes, or the process dies).
 * @param {{ url: string, headers: Record<string, string>, body: string, timeoutMs: number, alive: () => boolean }} o
 */
export async function waitReady({ url, headers, body, timeoutMs, alive }) {
  const deadline = performance.now() + timeoutMs;
  let last = "no answer";
  while (performance.now() < deadline) {
    if (!alive()) throw new Error(`process exited before answering (last: ${last})`);
    try {
      const a = await post(url, headers, body);
      if (a.status === 200) return;
      last = `HTTP ${a.status}: ${a.text.slice(0, 300)}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await sleep(100);
  }
  throw new Error(`not ready after ${timeoutMs} ms (last: ${last})`);
}

/**
 * Checks one JSON and one streamed answer; returns the problems found (empty when all is well).
 * @param {{ url: string, headers: Record<string, string>, jsonBody: string, streamBody: string, gapMs: number }} o
 */
export async function checkAnswers({ url, headers, jsonBody, streamBody, gapMs }) {
  /** @type {string[]} */
  const problems = [];
  const j = await post(url, headers, jsonBody);
  if (j.status !== 200) problems.push(`JSON: HTTP ${j.status} ${j.text.slice(0, 200)}`);
  else {
    try {
      const parsed = JSON.parse(j.text);
      if (!Array.isArray(parsed.choices) || parsed.choices.length === 0) problems.push(`JSON: no choices in ${j.text.slice(0, 200)}`);
    } catch {
      problems.push(`JSON: not JSON: ${j.text.slice(0, 200)}`);
    }
  }
  // The upstream paces events gapMs apart: a proxy that streams delivers the first one at least a gap before
  // the end. A cold process or a busy machine can bunch one stream up, so it is buffered only if three are.
  let s = await post(url, headers, streamBody);
  for (let i = 0; i < 2 && s.status === 200 && !(s.endMs - s.firstDataMs >= gapMs); i++) s = await post(url, headers, streamBody);
  if (s.status !== 200) problems.push(`stream: HTTP ${s.status} ${s.text.slice(0, 200)}`);
  else {
    if (!s.contentType.startsWith("text/event-stream")) problems.push(`stream: content-type ${s.contentType}`);
    if (!s.text.includes("data: [DONE]")) problems.push(`stream: no [DONE] in ${s.text.slice(-200)}`);
    const events = s.text.split("\n").filter((l) => l.startsWith("data:")).length;
    if (events < 3) problems.push(`stream: only ${events} events`);
    if (!(s.endMs - s.firstDataMs >= gapMs)) problems.push(
        `stream: events bunched, three times (first at ${s.firstDataMs.toFixed(1)} ms, end at ${s.endMs.toFixed(1)} ms; the upstream spreads them over ${(gapMs * (CANNED_SSE_EVENTS.length - 1)).toFixed(0)} ms): buffered, or the first one held back until the rest had come`,
      );
  }
  return problems;
}
