// Reads a suite file from a local path or an http(s) URL. Suites are small text files; the size cap keeps a
// wrong URL (a web page, a binary) from filling memory.
import { readFile } from "node:fs/promises";
import { GatewayError } from "../errors/index.js";

export interface ReadSourceOptions {
  signal?: AbortSignal;
  /** Default 64 MiB. */
  maxBytes?: number;
  /** Default 60 s for a download. */
  timeoutMs?: number;
}

export const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

export async function readSource(location: string, options: ReadSourceOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!isUrl(location)) {
    let buf: Buffer;
    try {
      buf = await readFile(location, options.signal === undefined ? {} : { signal: options.signal });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new GatewayError("invalid_request", `cannot read suite file ${location}: ${code ?? (err as Error).message}`, { cause: err });
    }
    if (buf.length > maxBytes) throw new GatewayError("payload_too_large", `${location} is larger than ${maxBytes} bytes`);
    return buf.toString("utf8");
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let res: Response;
  try {
    res = await fetch(location, { signal, redirect: "follow" });
  } catch (err) {
    throw new GatewayError("upstream_error", `cannot download ${location}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new GatewayError("upstream_error", `cannot download ${location}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new GatewayError("payload_too_large", `${location} is larger than ${maxBytes} bytes`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxBytes) throw new GatewayError("payload_too_large", `${location} is larger than ${maxBytes} bytes`);
  return buf.toString("utf8");
}
