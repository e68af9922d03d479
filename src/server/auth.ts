// Who is calling: the admin key, or a virtual key from the store. Keys arrive as `Authorization: Bearer` or
// `x-api-key`. The admin key is compared in constant time; key secrets are never logged or echoed.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../errors/index.js";
import type { AuthFailures } from "./auth-failures.js";

export interface Principal {
  /** "admin" or the virtual key's id. */
  id: string;
  name: string;
  admin: boolean;
  /** Globs of aliases/models this key may call; null means any. */
  models: readonly string[] | null;
  /** Its traffic never leaves the company, whatever the request asks. */
  inHouseOnly: boolean;
  /** The store's key record, when it is a virtual key (limits, budget...). */
  record?: unknown;
}

export interface KeyLookup {
  /** Returns the principal for a virtual key's secret, or null when unknown, revoked or expired. */
  find(secret: string): Promise<Principal | null>;
}

export function secretFrom(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : undefined;
  }
  const key = req.headers["x-api-key"];
  return typeof key === "string" && key.length > 0 ? key : undefined;
}

export class Auth {
  private readonly adminKey: Buffer;
  private readonly admin: Principal = { id: "admin", name: "admin", admin: true, models: null, inHouseOnly: false };

  constructor(
    adminKey: string,
    private readonly keys?: KeyLookup,
    /** Failed lookups per client address; past its limit an address is refused without a lookup. */
    private readonly failures?: AuthFailures,
  ) {
    this.adminKey = Buffer.from(adminKey);
  }

  /**
   * Constant-time comparison with the admin key. Hashing both sides would hide the length too, but the
   * length of a generated key is public (its format is documented), and a sha256 per request is measurable.
   */
  private isAdmin(secret: string): boolean {
    if (secret.length !== this.adminKey.length) return false;
    const given = Buffer.from(secret);
    return given.length === this.adminKey.length && timingSafeEqual(given, this.adminKey);
  }

  async authenticate(req: IncomingMessage): Promise<Principal> {
    const secret = secretFrom(req);
    if (secret === undefined) {
      throw new GatewayError("authentication", "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
    }
    if (this.isAdmin(secret)) return this.admin;
    const address = req.socket.remoteAddress ?? "";
    const wait = this.failures?.retryAfter(address) ?? 0;
    if (wait > 0) {
      throw new GatewayError("rate_limit_exceeded", "Too many requests with invalid API keys from this address; try again later.", { retryAfter: wait });
    }
    const principal = this.keys ? await this.keys.find(secret) : null;
    if (!principal) {
      this.failures?.fail(address);
      throw new GatewayError("authentication", "Invalid API key: it is unknown, revoked or expired.");
    }
    return principal;
  }
}

const globCache = new Map<string, RegExp>();
function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    if (globCache.size < 10_000) globCache.set(glob, re);
  }
  return re;
}

export function mayUse(principal: Principal, model: string): boolean {
  if (principal.models === null) return true;
  return principal.models.some((g) => globToRegExp(g).test(model));
}

export function assertMayUse(principal: Principal, model: string): void {
  if (!mayUse(principal, model)) {
    throw new GatewayError("permission", `This key may not use the model '${model}'. GET /v1/models lists the models it may use.`, {
      param: "model",
    });
  }
}
