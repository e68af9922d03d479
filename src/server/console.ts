// Serves the built web console (console/dist) at /console/: content types, long caching for Vite's hashed
// assets and none for index.html, SPA fallback for client-side routes, and no path outside the directory
// (the path is decoded once, resolved, and must stay under the root; dot-files and NUL bytes are refused).
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Handler, RequestContext, RouteTable } from "./app.js";

/** console/dist beside src/ or dist/ (this file is two levels below the package root in both). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL("../../console/dist/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  // Everything comes from the gateway itself: the console works air-gapped and cannot be made to load
  // or send anything elsewhere. Eval reports are shown in a sandboxed srcdoc frame.
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

const IMMUTABLE = "public, max-age=31536000, immutable";

type Found = { path: string; size: number } | null;

async function fileAt(root: string, rel: string): Promise<Found> {
  const path = resolve(root, rel);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size } : null;
  } catch {
    return null;
  }
}

function send(ctx: RequestContext, status: number, type: string, body: Buffer | string, cache: string): void {
  const head = ctx.req.method === "HEAD";
  ctx.res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": cache });
  ctx.res.end(head ? undefined : body);
}

export function consoleRoutes(dir: string = DEFAULT_CONSOLE_DIR): RouteTable {
  const root = resolve(dir);
  const handler: Handler = async (ctx) => {
    const url = ctx.req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (path === "/console") {
      ctx.res.writeHead(308, { location: "/console/" });
      ctx.res.end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path.slice("/console/".length));
    } catch {
      return send(ctx, 400, "text/plain; charset=utf-8", "Malformed path.\n", "no-store");
    }
    if (rel.includes("\0") || rel.split(/[\\/]/).some((part) => part.startsWith("."))) {
      return send(ctx, 404, "text/plain; charset=utf-8", "Not found.\n", "no-store");
    }
    const file = rel === "" ? null : await fileAt(root, rel);
    if (file) {
      const type = TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream";
      const hashed = rel.startsWith("assets/");
      return send(ctx, 200, type, await readFile(file.path), hashed ? IMMUTABLE : "no-cache");
    }
    // A missing asset is a 404; any other path is a console page the client-side router draws.
    if (extname(rel) !== "" && extname(rel) !== ".html") return send(ctx, 404, "text/plain; charset=utf-8", "Not found.\n", "no-store");
    const index = await fileAt(root, "index.html");
    if (!index) {
      return send(ctx, 404, "text/plain; charset=utf-8", `The console is not built. Run "npm run build" (it builds console/dist).\n`, "no-store");
    }
    send(ctx, 200, TYPES[".html"]!, await readFile(index.path), "no-cache");
  };
  return { "GET /console/*": handler, "HEAD /console/*": handler };
}
