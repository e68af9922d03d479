// Turns what a user typed (catalog name, local path, hf: URI, URL) into where the file comes from and where it lives.
import { isAbsolute, resolve as resolvePath } from "node:path";
import { GatewayError } from "../../errors/index.js";
import type { ModelSourceLookup } from "./types.js";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

export type ModelSourceSpec =
  | { kind: "local"; name: string; source: string; path: string }
  | {
      kind: "remote";
      name: string;
      /** Canonical source: `hf:org/repo/file.gguf` or the URL. */
      source: string;
      url: string;
      /** Path under `<dataDir>/models/`, with forward slashes. */
      relPath: string;
      /** True for hf: sources: the hub's ETag on the resolve hop is then a content sha256. */
      hub: boolean;
      expectedSha256?: string;
      expectedSize?: number;
    };

export interface ParseSourceOptions {
  lookup?: ModelSourceLookup;
  hfEndpoint?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][\w.+-]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function hfEndpointFrom(opts: Pick<ParseSourceOptions, "hfEndpoint" | "env">): string {
  const env = opts.env ?? process.env;
  const base = opts.hfEndpoint ?? env["INHOUSE_HF_ENDPOINT"] ?? DEFAULT_HF_ENDPOINT;
  return base.replace(/\/+$/, "");
}

export function parseModelSource(input: string, opts: ParseSourceOptions = {}): ModelSourceSpec {
  const source = input.trim();
  if (source === "") throw new GatewayError("invalid_request", "A model source is required: a catalog name, a .gguf path, an hf: URI or a URL.");
  if (source.startsWith("hf:")) return parseHf(source, source, opts);
  if (/^https?:\/\//i.test(source)) return parseUrl(source, source);
  if (looksLikePath(source)) {
    const path = isAbsolute(source) ? source : resolvePath(opts.cwd ?? process.cwd(), source);
    return { kind: "local", name: source, source: path, path };
  }
  const entry = opts.lookup?.(source);
  if (!entry) {
    throw new GatewayError(
      "model_not_found",
      `Unknown model "${source}": it is not in the catalog, and not a .gguf path, an hf:org/repo/file.gguf URI or an http(s) URL. ` +
        "Run `inhouse models` to list the catalog.",
    );
  }
  const spec = entry.source.startsWith("hf:") ? parseHf(entry.source, source, opts) : parseUrl(entry.source, source);
  if (entry.sha256 !== undefined) spec.expectedSha256 = normaliseSha256(entry.sha256, `catalog entry "${source}"`);
  if (entry.size !== undefined) spec.expectedSize = entry.size;
  return spec;
}

function looksLikePath(s: string): boolean {
  return s.toLowerCase().endsWith(".gguf") || s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.startsWith("~");
}

function parseHf(uri: string, name: string, opts: ParseSourceOptions): Extract<ModelSourceSpec, { kind: "remote" }> {
  const parts = uri.slice(3).split("/");
  if (parts.length < 3 || !parts.every((p) => SAFE_SEGMENT.test(p)) || !uri.toLowerCase().endsWith(".gguf")) {
    throw new GatewayError(
      "invalid_request",
      `"${uri}" is not a valid hf: source; expected hf:org/repo/file.gguf (for example hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf).`,
    );
  }
  const [org, repo, ...file] = parts as [string, string, ...string[]];
  const url = `${hfEndpointFrom(opts)}/${org}/${repo}/resolve/main/${file.map(encodeURIComponent).join("/")}`;
  return { kind: "remote", name, source: uri, url, relPath: ["hf", org, repo, ...file].join("/"), hub: true };
}

function parseUrl(raw: string, name: string): Extract<ModelSourceSpec, { kind: "remote" }> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new GatewayError("invalid_request", `"${raw}" is not a valid URL.`);
  }
  const base = decodeURIComponent(u.pathname.split("/").pop() ?? "");
  const file = SAFE_SEGMENT.test(base) ? base : "model.gguf";
  const host = u.port ? `${u.hostname}_${u.port}` : u.hostname;
  if (!SAFE_SEGMENT.test(host)) throw new GatewayError("invalid_request", `"${raw}" has a host name inhouse cannot use as a folder name.`);
  return { kind: "remote", name, source: raw, url: u.toString(), relPath: ["url", host, file].join("/"), hub: false };
}

/** Lower-cases and validates a sha256 given as hex (optionally quoted or W/-prefixed, as in ETags). */
export function normaliseSha256(value: string, where: string): string {
  const v = parseSha256(value);
  if (v === undefined) throw new GatewayError("invalid_request", `The sha256 in ${where} is not 64 hexadecimal digits.`);
  return v;
}

/** The sha256 inside an ETag-like header value, or undefined if it holds something else (a git sha1, an md5). */
export function parseSha256(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().replace(/^W\//, "").replace(/^"|"$/g, "").toLowerCase();
  return SHA256_HEX.test(v) ? v : undefined;
}
