// Admin routes accept only the admin key: a virtual key gets 403, a missing or wrong one 401.
import { GatewayError } from "../../errors/index.js";
import type { Handler, RequestContext } from "../app.js";

export async function requireAdmin(ctx: RequestContext): Promise<void> {
  const principal = await ctx.principal();
  if (!principal.admin) throw new GatewayError("permission", "This route needs the admin key; a virtual key cannot use /admin.");
}

/** Wraps a handler so it runs only for the admin key. */
export function adminOnly(handler: Handler): Handler {
  return async (ctx) => {
    await requireAdmin(ctx);
    await handler(ctx);
  };
}

export function queryOf(ctx: RequestContext): URLSearchParams {
  const url = ctx.req.url ?? "/";
  const q = url.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
}

/** The path segment after a prefix route's base (`/admin/keys/abc` -> `abc`), decoded. */
export function pathTail(ctx: RequestContext, base: string): string {
  const url = ctx.req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  try {
    return decodeURIComponent(path.slice(base.length));
  } catch {
    throw new GatewayError("invalid_request", `Malformed path ${path.slice(0, 100)}.`);
  }
}
