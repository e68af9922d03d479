// Keys, usage and audit over the store: POST/GET/DELETE /admin/keys, GET /admin/usage, GET /admin/audit.
import { GatewayError } from "../../errors/index.js";
import type { CreateKeyInput, UsageGroupBy } from "../../store/index.js";
import type { RouteTable } from "../app.js";
import { sendJson } from "../http.js";
import type { AdminDeps, AdminStore } from "./deps.js";
import { adminOnly, pathTail, queryOf } from "./guard.js";
import { intParam, timeParam } from "./time-param.js";

const GROUPS: readonly UsageGroupBy[] = ["key", "model", "day"];

function storeOf(deps: AdminDeps): AdminStore {
  if (!deps.store) throw new GatewayError("not_found", "This gateway runs without a key store, so keys, usage and audit are not available.");
  return deps.store;
}

export function storeRoutes(deps: AdminDeps): RouteTable {
  return {
    "POST /admin/keys": adminOnly(async (ctx) => {
      const body = await ctx.json();
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new GatewayError("invalid_request", 'The body must be a JSON object like {"name": "team-a", "rpm": 60}.', { param: "body" });
      }
      const created = await storeOf(deps).createKey(body as CreateKeyInput, "admin");
      sendJson(ctx.res, 201, created);
    }),
    "GET /admin/keys": adminOnly(async (ctx) => {
      const includeRevoked = queryOf(ctx).get("include_revoked") === "true";
      sendJson(ctx.res, 200, { keys: await storeOf(deps).listKeys({ includeRevoked }) });
    }),
    "GET /admin/keys/*": adminOnly(async (ctx) => {
      const id = pathTail(ctx, "/admin/keys/");
      const key = await storeOf(deps).getKey(id);
      if (!key) throw new GatewayError("not_found", `No key with id '${id.slice(0, 100)}'.`, { param: "id" });
      sendJson(ctx.res, 200, key);
    }),
    "DELETE /admin/keys/*": adminOnly(async (ctx) => {
      const id = pathTail(ctx, "/admin/keys/");
      const key = await storeOf(deps).revokeKey(id, "admin");
      if (!key) throw new GatewayError("not_found", `No key with id '${id.slice(0, 100)}'. GET /admin/keys lists them.`, { param: "id" });
      sendJson(ctx.res, 200, key);
    }),
    "GET /admin/usage": adminOnly(async (ctx) => {
      const q = queryOf(ctx);
      const groupBy = (q.get("group_by") ?? "model") as UsageGroupBy;
      if (!GROUPS.includes(groupBy)) throw new GatewayError("invalid_request", 'group_by must be "key", "model" or "day".', { param: "group_by" });
      const since = timeParam(q.get("since"), "since");
      const until = timeParam(q.get("until"), "until");
      const keyId = q.get("key_id");
      const result = await storeOf(deps).usageSummary({
        group_by: groupBy,
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(keyId ? { key_id: keyId } : {}),
      });
      sendJson(ctx.res, 200, { group_by: groupBy, since: since === undefined ? null : new Date(since).toISOString(), rows: result.rows });
    }),
    "GET /admin/audit": adminOnly(async (ctx) => {
      const q = queryOf(ctx);
      const since = timeParam(q.get("since"), "since");
      const beforeSeq = intParam(q.get("before_seq"), "before_seq");
      const limit = intParam(q.get("limit"), "limit");
      const action = q.get("action");
      const actor = q.get("actor");
      const subject = q.get("subject");
      let records = await storeOf(deps).audit.list({
        ...(since === undefined ? {} : { since }),
        ...(beforeSeq === undefined ? {} : { before_seq: beforeSeq }),
        ...(limit === undefined ? {} : { limit }),
        ...(action ? { action } : {}),
      });
      // Actor and subject narrow the page the database returned (the store indexes time and action).
      if (actor) records = records.filter((r) => r.actor === actor);
      if (subject) records = records.filter((r) => r.subject === subject);
      sendJson(ctx.res, 200, { records });
    }),
    "GET /admin/audit/verify": adminOnly(async (ctx) => {
      sendJson(ctx.res, 200, await storeOf(deps).audit.verify());
    }),
  };
}
