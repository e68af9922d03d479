// inhouse eval: runs a suite through an in-process gateway (its router, policy and usage), so evaluation
// measures exactly what clients get.
import type { ChatRequest, ChatResponse } from "../../spec/index.js";
import { EVAL_HELP, evalCommand } from "../../eval/command.js";
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
    return await evalCommand(rest, { call, stdout: process.stdout, stderr: process.stderr, dataDir: config.data_dir, signal: ac.signal });
  } finally {
    process.off("SIGINT", onSigint);
    await gw.close();
  }
}
