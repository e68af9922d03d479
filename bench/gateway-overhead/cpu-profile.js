// @ts-check
// Reading a V8 .cpuprofile: self and inclusive time per function, and self time per area of the code.
import { relative } from "node:path";

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} Profile
 */

/**
 * Where self time is spent: the gateway's own code by folder, each package, Node's internals, or native.
 * @param {string} url @param {string} fn @param {string} root
 */
export function area(url, fn, root) {
  if (url.startsWith("file://")) {
    const path = relative(root, new URL(url).pathname);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (pkg) return `package ${pkg[1]}`;
    return path.split("/").slice(0, 2).join("/");
  }
  if (url.startsWith("node:")) return "node: internals";
  if (url.startsWith("wasm://")) return "wasm (undici's llhttp)";
  return fn.startsWith("(") ? fn : `native (${fn || "anonymous"})`;
}

/**
 * Self and inclusive milliseconds per function (name, file, line), the heaviest first.
 * @param {Profile} p
 * @param {number} top
 * @param {string} root the repository root, to shorten file paths
 */
export function hotFunctions(p, top, root) {
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (/** @type {ProfileNode} */ n) => {
    const url = n.callFrame.url.startsWith("file://") ? relative(root, new URL(n.callFrame.url).pathname) : n.callFrame.url;
    return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
  };
  /** @type {Map<string, number>} */ const self = new Map();
  /** @type {Map<string, number>} */ const areas = new Map();
  /** @type {Map<string, number>} */ const incl = new Map();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    total += dt;
    const n = byId.get(id);
    if (!n) return;
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    const a = area(n.callFrame.url, n.callFrame.functionName, root);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    /** @type {Set<string>} */ const seen = new Set();
    for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node) break;
      const k = key(node);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  });
  const rank = (/** @type {Map<string, number>} */ m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: total, self: rank(self), inclusive: rank(incl), areas: rank(areas) };
}

