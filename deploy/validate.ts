// Offline checks of deploy/kubernetes (no cluster needed): every document parses and is named; every Secret
// key, ConfigMap, port name, Service selector and scale target referenced exists; the gateway's probes hit
// /readyz and /healthz; its grace period covers preStop + server.shutdown_grace; and the ConfigMap's
// inhouse.yaml passes the gateway's own config loader with the Secret's values as environment.
//   node --import tsx deploy/validate.ts      (uses `kubectl kustomize` when kubectl is installed)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../src/config/index.js";

type Obj = Record<string, any>;
const dir = new URL("./kubernetes/", import.meta.url).pathname;
const problems: string[] = [];
const fail = (msg: string) => problems.push(msg);

function render(): { text: string; via: string } {
  try {
    return { text: execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }), via: "kubectl kustomize" };
  } catch {
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    return { text: files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n---\n"), via: "the files (kubectl not found)" };
  }
}

const { text, via } = render();
const docs: Obj[] = [];
for (const d of parseAllDocuments(text)) {
  if (d.errors.length) fail(`YAML: ${d.errors.map((e) => e.message).join("; ")}`);
  const o = d.toJS() as Obj | null;
  if (o) docs.push(o);
}
for (const o of docs) if (!o.apiVersion || !o.kind || !o.metadata?.name) fail(`a document without apiVersion/kind/metadata.name: ${JSON.stringify(o).slice(0, 80)}`);

const find = (kind: string, name: string) => docs.find((o) => o.kind === kind && o.metadata?.name === name);
const workloads = docs.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind));

for (const w of workloads) {
  const spec = w.spec.template.spec as Obj;
  const labels = w.spec.template.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(w.spec.selector.matchLabels as Obj)) if (labels[k] !== v) fail(`${w.metadata.name}: selector ${k}=${v} does not match the pod labels`);
  for (const c of spec.containers as Obj[]) {
    const portNames = new Set((c.ports ?? []).map((p: Obj) => p.name));
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !(find("Secret", ref.name)?.stringData ?? {})[ref.key]) fail(`${w.metadata.name}/${c.name}: env ${e.name} needs Secret ${ref.name} key ${ref.key}`);
    }
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      if (typeof port === "string" && !portNames.has(port)) fail(`${w.metadata.name}/${c.name}: ${probe} uses unknown port name ${port}`);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap && !find("ConfigMap", v.configMap.name)) fail(`${w.metadata.name}: volume ${v.name} needs ConfigMap ${v.configMap.name}`);
    if (v.persistentVolumeClaim && !find("PersistentVolumeClaim", v.persistentVolumeClaim.claimName)) fail(`${w.metadata.name}: volume ${v.name} needs PVC ${v.persistentVolumeClaim.claimName}`);
  }
}

for (const s of docs.filter((o) => o.kind === "Service")) {
  const sel = s.spec.selector as Obj;
  const target = workloads.find((w) => Object.entries(sel).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));
  if (!target) fail(`Service ${s.metadata.name}: no workload matches its selector`);
  else {
    const names = new Set(target.spec.template.spec.containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.name)));
    for (const p of s.spec.ports) if (typeof p.targetPort === "string" && !names.has(p.targetPort)) fail(`Service ${s.metadata.name}: targetPort ${p.targetPort} is not a container port name`);
  }
}
for (const h of docs.filter((o) => o.kind === "HorizontalPodAutoscaler")) if (!find(h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name)) fail(`HPA ${h.metadata.name}: no scale target`);
for (const p of docs.filter((o) => o.kind === "PodDisruptionBudget")) {
  if (!workloads.some((w) => Object.entries(p.spec.selector.matchLabels as Obj).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v))) fail(`PDB ${p.metadata.name}: selects no pods`);
}

// The gateway: probes, grace period, and its config through the real loader.
const gw = find("Deployment", "inhouse");
const cm = find("ConfigMap", "inhouse-config");
const secret = find("Secret", "inhouse");
if (!gw || !cm || !secret) fail("the inhouse Deployment, its ConfigMap and Secret must exist");
else {
  const c = gw.spec.template.spec.containers[0] as Obj;
  if (c.readinessProbe?.httpGet?.path !== "/readyz") fail("gateway readinessProbe must GET /readyz");
  if (c.livenessProbe?.httpGet?.path !== "/healthz") fail("gateway livenessProbe must GET /healthz");
  const env: NodeJS.ProcessEnv = {};
  for (const e of c.env as Obj[]) env[e.name] = e.value ?? secret.stringData[e.valueFrom.secretKeyRef.key];
  const tmp = mkdtempSync(join(tmpdir(), "inhouse-deploy-"));
  writeFileSync(join(tmp, "inhouse.yaml"), cm.data["inhouse.yaml"]);
  try {
    const config = loadConfig({ file: join(tmp, "inhouse.yaml"), env, cwd: tmp });
    const preStop = Number(c.lifecycle?.preStop?.exec?.command?.at(-1) ?? 0);
    const grace = gw.spec.template.spec.terminationGracePeriodSeconds as number;
    const needed = preStop + config.server.shutdown_grace / 1000;
    if (!(grace > needed)) fail(`terminationGracePeriodSeconds ${grace} must exceed preStop ${preStop} s + shutdown_grace ${needed - preStop} s`);
    if (!config.database.startsWith("postgres")) fail("the ConfigMap's database must be Postgres for several replicas");
    if (!config.redis) fail("the ConfigMap must set redis for limits shared across replicas");
    console.log(`config: ${Object.keys(config.backends).join(", ")} backends; aliases ${Object.keys(config.models).join(", ")}; grace ${grace} s > preStop ${preStop} s + shutdown_grace ${config.server.shutdown_grace / 1000} s`);
  } catch (err) {
    fail(`ConfigMap inhouse.yaml does not load: ${(err as Error).message}`);
  }
}

console.log(`${docs.length} documents rendered via ${via}: ${[...new Set(docs.map((o) => o.kind))].join(", ")}`);
if (problems.length) {
  console.error(problems.map((p) => `✗ ${p}`).join("\n"));
  process.exit(1);
}
console.log("✓ all checks passed");
