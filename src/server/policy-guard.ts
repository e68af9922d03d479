// The policy on the request path: inspect once, then per target decide what it may receive — the request
// as is (in-house), pseudonymized (restored on the way back), redacted, or nothing (the target is skipped).
// Blocked kinds and model provenance rules refuse before any upstream is called.
import { findCatalogModel, listCatalog, type CatalogModel } from "../catalog/index.js";
import type { Target } from "../config/index.js";
import { GatewayError } from "../errors/index.js";
import { policyViolation, type Inspection, type PolicyEngine, type PseudonymTable, type Vault } from "../policy/index.js";
import { createStreamRestorer, restoreResponse, restoreText, TextRestorer } from "../policy/index.js";
import type { BackendHandle } from "../router/index.js";
import type { ChatChunk, ChatRequest, ChatResponse, CompletionResponse, EmbeddingRequest } from "../spec/index.js";

export interface PolicyContext {
  engine: PolicyEngine;
  vault: Vault;
}

/** What one attempt sends and how its answer comes back. */
export interface Prepared<Req, Res, Chunk> {
  req: Req;
  mapResponse?: (res: Res) => Res;
  mapChunks?: (chunks: AsyncIterable<Chunk>) => AsyncIterable<Chunk>;
}

export interface Guard<Req, Res, Chunk> {
  /** False for targets the policy keeps this request away from (the router skips them). */
  allow(target: Target, backend: BackendHandle): boolean;
  prepare(req: Req, backend: BackendHandle, target: Target): Prepared<Req, Res, Chunk>;
  /** For the request record (counts per kind and the action applied; never values). */
  record(): { action: string; kinds: Record<string, number> } | undefined;
  /** Persists the conversation's pseudonym table, when one was used. */
  settle(): Promise<void>;
  /** The 400 to answer when no target remains. */
  refusal(alias: string): GatewayError;
  /** Set when a block-list kind was found: the request is refused before any routing. */
  blocked?: GatewayError;
}

const hfRepoIndex = new Map<string, CatalogModel>();
const hostedIndex = new Map<string, CatalogModel>();
function catalogFor(model: string): CatalogModel | undefined {
  if (hfRepoIndex.size === 0) {
    for (const m of listCatalog()) {
      if (m.hfRepo) hfRepoIndex.set(m.hfRepo.toLowerCase(), m);
      for (const h of m.hostedBy) if (h.model) hostedIndex.set(h.model.toLowerCase(), m);
    }
  }
  const key = model.toLowerCase();
  return findCatalogModel(key) ?? hfRepoIndex.get(key) ?? hostedIndex.get(key);
}

/** A request the policy has nothing to say about: every target, the request unchanged. */
function passThrough<Req, Res, Chunk>(): Guard<Req, Res, Chunk> {
  return {
    allow: () => true,
    prepare: (req) => ({ req }),
    record: () => undefined,
    settle: async () => {},
    refusal: (alias) => new GatewayError("no_backend", `No target of '${alias}' is available.`),
  };
}

function hasModelRules(engine: PolicyEngine): boolean {
  const m = engine.config.models;
  return m.allow_origins !== undefined || m.allow_licenses !== undefined || m.deny_origins.length > 0;
}

/**
 * Builds the guard for one chat or embeddings request, or undefined when the policy has nothing to say about
 * it (the request goes to every target unchanged). `conversation` (a client-supplied id) lets the same
 * value keep the same placeholder across the turns of a conversation.
 */
export async function guardRequest<Req extends ChatRequest | EmbeddingRequest, Res, Chunk>(
  ctx: PolicyContext,
  req: Req,
  conversation: string | undefined,
  restore: { response?: (res: Res, table: PseudonymTable) => Res; chunks?: (it: AsyncIterable<Chunk>, table: PseudonymTable) => AsyncIterable<Chunk> },
): Promise<Guard<Req, Res, Chunk> | undefined> {
  const { engine } = ctx;
  const inspection: Inspection = engine.inspect(req);
  const modelRules = hasModelRules(engine);
  // Nothing found and no provenance rules: the common case costs the scan and nothing more.
  if (inspection.findings.length === 0 && !modelRules) return undefined;
  if (inspection.blocked) {
    const blocked = inspection.blocked;
    return { ...passThrough<Req, Res, Chunk>(), blocked: policyViolation(blocked, req.model), record: () => ({ action: "block", kinds: inspection.kinds }) };
  }

  // A vault that cannot answer (Redis down) costs the conversation its earlier numbering, not the request.
  let table: PseudonymTable | undefined =
    conversation && inspection.findings.length > 0 ? await engine.loadTable(ctx.vault, conversation).catch(() => undefined) : undefined;
  let applied: { action: string; kinds: Record<string, number> } | undefined;
  let lastRefusal: string | undefined;
  const provenanceOk = (target: Target, backend: BackendHandle) => {
    if (!modelRules) return true;
    const meta = catalogFor(target.model);
    const verdict = engine.targetAllowed({
      inHouse: backend.inHouse,
      ...(meta ? { origin: meta.origin, license: { id: meta.license.id, commercial: meta.license.commercialUse === true } } : {}),
    });
    if (!verdict.allowed) lastRefusal = verdict.rule;
    return verdict.allowed;
  };

  return {
    allow(target, backend) {
      if (!provenanceOk(target, backend)) return false;
      const d = inspection.decide(backend.inHouse);
      if (d.action === "block" || d.action === "keep_in_house") {
        lastRefusal = d.rule ?? `policy.on_sensitive.${backend.inHouse ? "in_house" : "external"}`;
        return false;
      }
      return true;
    },
    prepare(r, backend, target) {
      const decision = inspection.decide(backend.inHouse);
      const rec = inspection.record(decision, `${target.backend}/${target.model}`);
      applied = { action: rec.action, kinds: rec.kinds };
      if (decision.action === "redact") return { req: engine.redactRequest(r, inspection) };
      if (decision.action !== "pseudonymize" || inspection.findings.length === 0) return { req: r };
      const out = engine.pseudonymizeRequest(r, inspection, table);
      table = out.table;
      const t = out.table;
      return {
        req: out.request,
        ...(restore.response ? { mapResponse: (res: Res) => restore.response!(res, t) } : {}),
        ...(restore.chunks ? { mapChunks: (it: AsyncIterable<Chunk>) => restore.chunks!(it, t) } : {}),
      };
    },
    record: () => applied ?? (inspection.findings.length ? { action: "none", kinds: inspection.kinds } : undefined),
    settle: async () => {
      if (table && conversation) await engine.saveTable(ctx.vault, conversation, table);
    },
    refusal(alias) {
      const decision = inspection.decide(false);
      if (lastRefusal?.startsWith("policy.models")) {
        return new GatewayError("content_policy_violation", `No target of '${alias}' is allowed by ${lastRefusal}. Use a model the policy admits.`, { param: "model" });
      }
      return policyViolation({ ...decision, action: "keep_in_house", rule: lastRefusal ?? decision.rule }, alias);
    },
  };
}

/** Restores placeholders in a streamed chat answer, holding back only what may be a split placeholder. */
export async function* restoreChatChunks(chunks: AsyncIterable<ChatChunk>, table: PseudonymTable): AsyncIterable<ChatChunk> {
  const restorer = createStreamRestorer(table);
  let last: ChatChunk | undefined;
  for await (const chunk of chunks) {
    last = chunk;
    if (chunk.choices.length === 0) {
      // The usage chunk comes after the last delta: release anything still held back before it.
      const tail = restorer.flush(chunk);
      if (tail) yield tail;
      yield chunk;
      continue;
    }
    yield restorer.transform(chunk);
  }
  if (last && last.choices.length > 0) {
    const tail = restorer.flush(last);
    if (tail) yield tail;
  }
}

export const restoreChat = (res: ChatResponse, table: PseudonymTable): ChatResponse => restoreResponse(res, table);

/** Legacy completions: the prompt is inspected as embeddings input is, and answers restored as text. */
export function restoreCompletion(res: CompletionResponse, table: PseudonymTable): CompletionResponse {
  return { ...res, choices: res.choices.map((c) => ({ ...c, text: restoreText(c.text, table) })) };
}

export async function* restoreCompletionChunks(chunks: AsyncIterable<CompletionResponse>, table: PseudonymTable): AsyncIterable<CompletionResponse> {
  const restorers = new Map<number, TextRestorer>();
  let last: CompletionResponse | undefined;
  const flushAll = (template: CompletionResponse): CompletionResponse | undefined => {
    const choices = [...restorers].map(([index, r]) => ({ index, text: r.flush(), finish_reason: null })).filter((c) => c.text !== "");
    return choices.length ? { ...template, usage: null, choices } : undefined;
  };
  for await (const chunk of chunks) {
    last = chunk;
    if (chunk.choices.length === 0) {
      const tail = flushAll(chunk);
      if (tail) yield tail;
      yield chunk;
      continue;
    }
    yield {
      ...chunk,
      choices: chunk.choices.map((c) => {
        let r = restorers.get(c.index);
        if (!r) restorers.set(c.index, (r = new TextRestorer(table)));
        const text = r.push(c.text) + (c.finish_reason ? r.flush() : "");
        return { ...c, text };
      }),
    };
  }
  if (last && last.choices.length > 0) {
    const tail = flushAll(last);
    if (tail) yield tail;
  }
}
