// Backends from the config -> handles the router uses. Presets fill base URLs; `in_house` defaults to true
// for embedded backends and for loopback/private hosts. Models are created on first use, and the embedded
// engine (node-llama-cpp) is imported only then, so a gateway with only remote backends never loads it.
import type { BackendConfig, Config } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { isPrivateHost } from "../lib/private-host.js";
import type { BackendHandle } from "../router/index.js";
import type { CallTimeouts, ChatModel } from "../spec/index.js";
import { createOpenAICompatible, getPreset, PRESET_NAMES, type Quirks } from "./openai-compatible/index.js";

export const DEFAULT_TIMEOUTS: CallTimeouts = { connect: 5_000, firstToken: 60_000, idle: 60_000, total: 600_000 };
/** The embedded engine may load a model from disk before its first token. */
const EMBEDDED_TIMEOUTS: CallTimeouts = { connect: 5_000, firstToken: 300_000, idle: 60_000, total: 1_800_000 };

export type EmbeddedFactory = (name: string, backend: BackendConfig, config: Config) => Promise<ChatModel>;

export interface Backends {
  handles: Map<string, BackendHandle>;
  close(): Promise<void>;
}

function timeoutsFor(b: BackendConfig, config: Config, base: CallTimeouts): CallTimeouts {
  const t = { ...config.router.timeouts, ...b.timeouts };
  return {
    connect: t.connect ?? base.connect,
    firstToken: t.first_token ?? base.firstToken,
    idle: t.idle ?? base.idle,
    total: t.total ?? base.total,
  };
}

function modelNames(b: BackendConfig): string[] {
  if (!b.models) return [];
  return Array.isArray(b.models) ? [...b.models] : Object.keys(b.models);
}

export function createBackends(config: Config, embedded?: EmbeddedFactory): Backends {
  const where = config.file ?? "the built-in defaults";
  const handles = new Map<string, BackendHandle>();
  const created: ChatModel[] = [];
  for (const [name, b] of Object.entries(config.backends)) {
    const preset = b.preset === undefined ? undefined : getPreset(b.preset);
    if (b.preset !== undefined && !preset) {
      throw new ConfigError(`${where}: backends.${name}.preset: unknown preset "${b.preset}"; choose one of ${PRESET_NAMES.join(", ")}`);
    }
    const type = b.type ?? (preset ? "openai" : undefined);
    if (!type) throw new ConfigError(`${where}: backends.${name}: set type (openai, ollama or embedded) or a preset`);
    let model: () => Promise<ChatModel>;
    let inHouse: boolean;
    let timeouts: CallTimeouts;
    if (type === "embedded") {
      inHouse = b.in_house ?? true;
      timeouts = timeoutsFor(b, config, EMBEDDED_TIMEOUTS);
      let pending: Promise<ChatModel> | undefined;
      model = () => {
        if (!embedded) return Promise.reject(new ConfigError(`backends.${name}: the embedded engine is not available in this build`));
        pending ??= embedded(name, b, config).then((m) => (created.push(m), m));
        return pending;
      };
    } else {
      const ollama = type === "ollama" ? getPreset("ollama") : undefined;
      const base = b.base_url ?? preset?.baseUrl ?? ollama?.baseUrl;
      if (!base) throw new ConfigError(`${where}: backends.${name}.base_url is required (or a preset that fills it)`);
      // Ollama is reached through its OpenAI-compatible endpoint under /v1.
      const baseUrl = type === "ollama" && !/\/v1\/?$/.test(base) ? `${base.replace(/\/$/, "")}/v1` : base;
      inHouse = b.in_house ?? (preset && b.base_url === undefined ? preset.inHouse : isPrivateHost(baseUrl));
      timeouts = timeoutsFor(b, config, DEFAULT_TIMEOUTS);
      const apiKey = b.api_key ?? (preset?.apiKeyEnv ? process.env[preset.apiKeyEnv] : undefined);
      const presetName = b.preset ?? (type === "ollama" ? "ollama" : undefined);
      const instance = createOpenAICompatible({
        backend: name,
        baseUrl,
        inHouse,
        ...(apiKey ? { apiKey } : {}),
        ...(b.headers ? { headers: b.headers } : {}),
        ...(presetName ? { preset: presetName } : {}),
        ...(b.max_connections ? { maxConnections: b.max_connections } : {}),
        ...(b.quirks ? { quirks: b.quirks as Partial<Quirks> } : {}),
      });
      created.push(instance);
      const ready = Promise.resolve(instance);
      model = () => ready;
    }
    handles.set(name, {
      name,
      inHouse,
      timeouts,
      retries: b.retries,
      maxConcurrency: b.max_concurrency,
      maxQueue: b.max_queue ?? 64,
      models: modelNames(b),
      model,
    });
  }
  return {
    handles,
    close: async () => {
      await Promise.allSettled(created.map((m) => m.close()));
    },
  };
}
