// A local stand-in for the Hugging Face hub and a plain file host, for the model-store suites: resolve URLs
// redirect to a "CDN" path with x-linked-etag / x-linked-size like the real hub; the CDN honours Range unless
// told not to, can cut the connection part-way, stall, or serve a corrupted copy under the original hash.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServerBehaviour {
  /** Bytes actually served (default: the original). */
  served?: Buffer;
  /** Ignore Range headers and always answer 200 with the whole body. */
  ignoreRange?: boolean;
  /** Destroy the socket after this many body bytes of a response, for the next `cutTimes` responses. */
  cutAfter?: number;
  cutTimes?: number;
  /** Stop sending (without closing) after this many body bytes. */
  stallAfter?: number;
  /** Publish the hash and size of `served` (a re-uploaded file) instead of the original's. */
  publishServed?: boolean;
  /** Publish no hash headers on the resolve hop. */
  noHash?: boolean;
  /** The resolve hop answers 401 unless `authorization: Bearer <token>` is sent. */
  requireToken?: string;
  /** Redirect resolve URLs to this origin's CDN path (another host, like the real hub's CDN). */
  cdnOrigin?: string;
  /** Claim this Content-Length on the body, then close (for the disk-space check). */
  advertiseLength?: number;
}

export interface ModelServer {
  baseUrl: string;
  /** The same server on another loopback address (127.0.0.2): a different host for redirect tests. */
  altBaseUrl: string;
  content: Buffer;
  sha256: string;
  /** Range header of each CDN request, in order ("" for none). */
  ranges: string[];
  /** Authorization header of each CDN request ("" for none): a hub token must never reach the CDN. */
  cdnAuth: string[];
  behave(b: ServerBehaviour): void;
  close(): Promise<void>;
}

export function makeContent(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  buf.write("GGUF", 0, "latin1");
  return buf;
}

export async function startModelServer(content: Buffer): Promise<ModelServer> {
  const sha256 = createHash("sha256").update(content).digest("hex");
  let b: ServerBehaviour = {};
  const ranges: string[] = [];
  const cdnAuth: string[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/loop") {
      res.writeHead(302, { location: "/loop" }).end();
    } else if (/^\/[^/]+\/[^/]+\/resolve\/main\/.+\.gguf$/.test(url.pathname)) {
      if (b.requireToken && req.headers.authorization !== `Bearer ${b.requireToken}`) {
        res.writeHead(401).end();
        return;
      }
      const headers: Record<string, string> = { location: `${b.cdnOrigin ?? ""}/cdn/${url.pathname.split("/").pop()}` };
      if (!b.noHash) {
        const published = b.publishServed && b.served ? b.served : content;
        const sha = published === content ? sha256 : createHash("sha256").update(published).digest("hex");
        headers["x-linked-etag"] = `"${sha}"`;
        headers["etag"] = `"${sha}"`;
        headers["x-linked-size"] = String(published.length);
      }
      res.writeHead(302, headers).end();
    } else if (url.pathname.startsWith("/cdn/") || url.pathname.startsWith("/plain/")) {
      serveBody(req, res);
    } else {
      res.writeHead(404).end();
    }
  };
  const server = createServer(handler);
  const alt = createServer(handler);
  for (const srv of [server, alt]) {
    srv.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
  }

  function serveBody(req: IncomingMessage, res: ServerResponse): void {
    const body = b.served ?? content;
    const range = req.headers.range ?? "";
    ranges.push(range);
    cdnAuth.push(req.headers.authorization ?? "");
    if (b.advertiseLength !== undefined) {
      res.writeHead(200, { "content-length": String(b.advertiseLength) });
      res.write(body.subarray(0, 10), () => res.socket?.destroy());
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(range);
    let start = 0;
    if (m && !b.ignoreRange) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
        "content-length": String(body.length - start),
        "accept-ranges": "bytes",
      });
    } else {
      res.writeHead(200, { "content-length": String(body.length), "accept-ranges": b.ignoreRange ? "none" : "bytes" });
    }
    const slice = body.subarray(start);
    const cut = b.cutAfter !== undefined && (b.cutTimes ?? 1) > 0 ? b.cutAfter : undefined;
    if (cut !== undefined) {
      b.cutTimes = (b.cutTimes ?? 1) - 1;
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (b.stallAfter !== undefined) {
      res.write(slice.subarray(0, b.stallAfter));
      return; // never ends; the client's idle timeout must fire
    }
    // Several chunks, so progress has something to report.
    const step = Math.max(1, Math.ceil(slice.length / 16));
    let i = 0;
    const pump = (): void => {
      while (i < slice.length) {
        const ok = res.write(slice.subarray(i, i + step));
        i += step;
        if (!ok) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => alt.listen(0, "127.0.0.2", resolve));
  const { port } = server.address() as AddressInfo;
  const altPort = (alt.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    altBaseUrl: `http://127.0.0.2:${altPort}`,
    content,
    sha256,
    ranges,
    cdnAuth,
    behave(next) {
      b = { ...next };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([server, alt].map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
    },
  };
}
