// Results of model calls kept by model + request hash, so a rerun (or a resumed run) calls nothing it has
// already asked. A DB-backed cache will implement the same interface once the store exists.
import { createHash } from "node:crypto";
import type { ChatRequest } from "../spec/index.js";
import type { TokenCounts } from "./types.js";

export interface CachedCall {
  content: string;
  latencyMs: number;
  tokens: TokenCounts;
}

export interface EvalCache {
  get(key: string): Promise<CachedCall | undefined>;
  set(key: string, value: CachedCall): Promise<void>;
}

/** Stable JSON: keys sorted, so the same request always hashes the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The model and everything sent decide the key: a changed prompt template is a new question. */
export function cacheKey(model: string, request: Omit<ChatRequest, "model">): string {
  return `${model}:${createHash("sha256").update(stable(request)).digest("hex").slice(0, 32)}`;
}

export function createMemoryCache(): EvalCache & { readonly size: number } {
  const map = new Map<string, CachedCall>();
  return {
    get size() {
      return map.size;
    },
    get: async (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
  };
}
