// inhouse eval: runs a suite through an in-process gateway (its router, policy and usage), so evaluation
// measures exactly what clients get.
import type { ChatRequest, ChatResponse } from "../../spec/index.js";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { EVAL_HELP, evalCommand } from "../../eval/command.js";
import { readRun } from "../../eval/write-reports.js";
import { saveEvalRun } from "../../store/eval-runs.js";
import { startInProcess } from "../in-process.js";
import { configFrom } from "../open-config.js";
import { splitCommon } from "./model-commands.js";

export async function evalCli(argv: string[]): Promise<number> {
  const { common, rest } = splitCommon(argv);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${EVAL_HELP}\n`);
    return 0;
  }
  const config = configFrom(common);
  const gw = await startInProcess(config);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once("SIGINT", onSigint);
  try {
    const call = async (model: string, request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> => {
      const { extra, ...known } = request;
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
        body: JSON.stringify({ ...extra, ...known, model, stream: false }),
        signal,
      });
      const body = (await res.json()) as ChatResponse & { error?: { message: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
      return body;
    };
    // Name the report directory here so the finished run can be recorded in the database.
    let args = rest;
    let out = valueOf(rest, "--out");
    if (out === undefined && !rest.includes("--compare")) {
      out = join(config.data_dir, "reports", new Date().toISOString().replace(/[:.]/g, "-"));
      args = [...rest, "--out", out];
    }
    const code = await evalCommand(args, { call, stdout: process.stdout, stderr: process.stderr, dataDir: config.data_dir, signal: ac.signal });
    if (code === 0 && out !== undefined && existsSync(join(out, "results.json"))) {
      const run = await readRun(out);
      await saveEvalRun(gw.gateway.store.db, run, resolve(out));
    }
    return code;
  } finally {
    process.off("SIGINT", onSigint);
    await gw.close();
  }
}

function valueOf(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1];
    if (argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
  }
  return undefined;
}
