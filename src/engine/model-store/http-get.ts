// One GET with manual redirects (so the hub's headers on the resolve hop are kept), a deadline for the response
// headers and an idle timeout on the body. node:http rather than fetch: per-socket timeouts and no buffering.
import { request as httpRequest, type IncomingMessage, type ClientRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { parseSha256 } from "./model-source.js";

export interface HttpGetOptions {
  rangeStart: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRedirects: number;
  /** Trust a 64-hex ETag on the first hop as the content sha256 (Hugging Face resolve URLs). */
  hub: boolean;
  signal?: AbortSignal | undefined;
  /** Bearer token sent only to URLs on `host` (the hub), so a redirect to a CDN never carries it. */
  auth?: { host: string; token: string } | undefined;
}

export interface HttpGetResult {
  res: IncomingMessage;
  finalUrl: string;
  /** sha256 the origin published for the content (`x-linked-etag`, or the hub's ETag), if any. */
  publishedSha256?: string;
  /** Size the origin published (`x-linked-size`), if any. */
  publishedSize?: number;
}

/** A failure before any response arrived: DNS, refused, unreachable, or no headers within the deadline. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly errno?: string,
  ) {
    super(message);
    this.name = "ConnectError";
  }
}

export async function httpGet(url: string, opts: HttpGetOptions): Promise<HttpGetResult> {
  let current = url;
  let publishedSha256: string | undefined;
  let publishedSize: number | undefined;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, opts);
    const linked = parseSha256(header(res, "x-linked-etag"));
    const etag = opts.hub && hop === 0 ? parseSha256(header(res, "etag")) : undefined;
    publishedSha256 ??= linked ?? etag;
    const linkedSize = Number(header(res, "x-linked-size"));
    if (publishedSize === undefined && Number.isSafeInteger(linkedSize) && linkedSize > 0) publishedSize = linkedSize;
    const status = res.statusCode ?? 0;
    const location = header(res, "location");
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= opts.maxRedirects) {
        throw new ConnectError(`more than ${opts.maxRedirects} redirects`, url, "EREDIRECTS");
      }
      current = new URL(location, current).toString();
      continue;
    }
    const result: HttpGetResult = { res, finalUrl: current };
    if (publishedSha256 !== undefined) result.publishedSha256 = publishedSha256;
    if (publishedSize !== undefined) result.publishedSize = publishedSize;
    return result;
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function requestOnce(url: string, opts: HttpGetOptions): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const u = new URL(url);
    const make = u.protocol === "https:" ? httpsRequest : u.protocol === "http:" ? httpRequest : undefined;
    if (!make) {
      reject(new ConnectError(`unsupported protocol ${u.protocol}`, url));
      return;
    }
    const headers: Record<string, string> = { "user-agent": "inhouse-model-store", "accept-encoding": "identity" };
    if (opts.rangeStart > 0) headers["range"] = `bytes=${opts.rangeStart}-`;
    if (opts.auth && u.host === opts.auth.host) headers["authorization"] = `Bearer ${opts.auth.token}`;
    let req: ClientRequest;
    let settled = false;
    const deadline = setTimeout(() => {
      req.destroy(new ConnectError(`no response within ${opts.connectTimeoutMs} ms`, url, "ETIMEDOUT"));
    }, opts.connectTimeoutMs);
    const onAbort = (): void => {
      req.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error("aborted"));
    };
    try {
      req = make(u, { method: "GET", headers });
    } catch (err) {
      clearTimeout(deadline);
      reject(new ConnectError((err as Error).message, url));
      return;
    }
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    let response: IncomingMessage | undefined;
    req.setTimeout(opts.idleTimeoutMs, () => {
      const err = new Error(`no data for ${opts.idleTimeoutMs} ms`);
      // Destroying the response (not the request) makes the body stream fail with this reason, not "aborted".
      if (response) response.destroy(err);
      else req.destroy(err);
    });
    req.on("response", (res) => {
      settled = true;
      response = res;
      clearTimeout(deadline);
      res.on("close", () => opts.signal?.removeEventListener("abort", onAbort));
      resolve(res);
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      opts.signal?.removeEventListener("abort", onAbort);
      if (settled) return; // the response stream reports its own errors
      if (opts.signal?.aborted) reject(err);
      else if (err instanceof ConnectError) reject(err);
      else reject(new ConnectError(err.message, url, err.code));
    });
    req.end();
    if (opts.signal?.aborted) onAbort();
  });
}
