// inhouse chat <model>: an interactive terminal chat that streams, through the gateway's own API (an
// in-process gateway by default, or a running one with --url), so policy, routing and usage all apply.
import { createInterface } from "node:readline/promises";
import { SseDecoder } from "../../lib/sse-decoder.js";
import { COMMON_HELP, parse } from "../args.js";
import { startInProcess } from "../in-process.js";
import { configFrom } from "../open-config.js";

export const CHAT_HELP = `Usage: inhouse chat <model> [options]

Chats with a model in the terminal. <model> is an alias, backend/model, or a catalog model such as
qwen3-0.6b (pulled on first use). Type /reset to start over, /exit (or Ctrl-D) to leave.

Options:
  --system TEXT       a system prompt
  --temperature N     sampling temperature
  --max-tokens N      cap each answer
  --url URL           talk to a running gateway instead of starting one (with --key or INHOUSE_API_KEY)
  --key KEY           API key for --url
${COMMON_HELP}`;

interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}

async function* streamAnswer(url: string, key: string, body: object, signal: AbortSignal): AsyncGenerator<{ content?: string; reasoning?: string }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok || !res.body) {
    const err = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(err?.error?.message ?? `HTTP ${res.status}`);
  }
  const events: string[] = [];
  const decoder = new SseDecoder((data) => events.push(data));
  const text = new TextDecoder();
  for await (const bytes of res.body) {
    decoder.push(text.decode(bytes as Uint8Array, { stream: true }));
    for (const data of events.splice(0)) {
      if (data === "[DONE]") return;
      const chunk = JSON.parse(data) as { error?: { message: string }; choices?: { delta?: { content?: string; reasoning_content?: string } }[] };
      if (chunk.error) throw new Error(chunk.error.message);
      const delta = chunk.choices?.[0]?.delta;
      if (delta) yield { ...(delta.content ? { content: delta.content } : {}), ...(delta.reasoning_content ? { reasoning: delta.reasoning_content } : {}) };
    }
  }
}

export async function chatCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    system: { type: "string" },
    temperature: { type: "string" },
    "max-tokens": { type: "string" },
    url: { type: "string" },
    key: { type: "string" },
  });
  const model = positionals[0];
  if (values.help || !model) {
    process.stdout.write(`${CHAT_HELP}\n`);
    return values.help ? 0 : 2;
  }
  let url = values.url;
  let key = values.key ?? process.env.INHOUSE_API_KEY;
  let close = async () => {};
  if (!url) {
    const gw = await startInProcess(configFrom(values));
    url = gw.url;
    key = gw.key;
    close = gw.close;
  } else if (!key) {
    process.stderr.write("inhouse chat: --url needs --key (or INHOUSE_API_KEY)\n");
    return 2;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const history: Message[] = values.system ? [{ role: "system", content: values.system }] : [];
  const ac = new AbortController();
  let answering: AbortController | undefined;
  rl.on("SIGINT", () => {
    if (answering) answering.abort();
    else rl.close();
  });
  process.stdout.write(`Chatting with ${model}. /reset starts over, /exit leaves.\n`);
  try {
    for (;;) {
      const line = await rl.question("\n> ").catch(() => null);
      if (line === null || line.trim() === "/exit") break;
      if (line.trim() === "/reset") {
        history.splice(values.system ? 1 : 0);
        process.stdout.write("(conversation cleared)\n");
        continue;
      }
      if (!line.trim()) continue;
      history.push({ role: "user", content: line });
      answering = new AbortController();
      let answer = "";
      let thinking = false;
      try {
        for await (const d of streamAnswer(url, key!, {
          model,
          messages: history,
          stream: true,
          ...(values.temperature ? { temperature: Number(values.temperature) } : {}),
          ...(values["max-tokens"] ? { max_tokens: Number(values["max-tokens"]) } : {}),
        }, AbortSignal.any([ac.signal, answering.signal]))) {
          if (d.reasoning) {
            if (!thinking) process.stdout.write("\x1b[2m(thinking) ");
            thinking = true;
            process.stdout.write(d.reasoning);
          }
          if (d.content) {
            if (thinking) process.stdout.write("\x1b[0m\n");
            thinking = false;
            answer += d.content;
            process.stdout.write(d.content);
          }
        }
        if (thinking) process.stdout.write("\x1b[0m");
        process.stdout.write("\n");
        history.push({ role: "assistant", content: answer });
      } catch (err) {
        history.pop();
        if (answering.signal.aborted) process.stdout.write("\n(stopped)\n");
        else process.stderr.write(`\nerror: ${err instanceof Error ? err.message : String(err)}\n`);
      } finally {
        answering = undefined;
      }
    }
  } finally {
    rl.close();
    ac.abort();
    await close();
  }
  return 0;
}
