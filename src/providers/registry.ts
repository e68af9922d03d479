// Backends from the config -> handles the router uses. Presets fill base URLs; `in_house` defaults to true
// for embedded backends and for loopback/private hosts. Models are created on first use, and the embedded
// engine (node-llama-cpp) is imported only then, so a gateway with only remote backends never loads it.
import { listCatalog } from "../catalog/index.js";
import type { BackendConfig, Config, EmbeddedBackendConfig, RemoteBackendConfig } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { isPrivateHost } from "../lib/private-host.js";
import type { BackendHandle } from "../router/index.js";
import type { CallTimeouts, ChatModel } from "../spec/index.js";
import { createOpenAICompatible, getPreset, parseQuirkOverrides, PRESET_NAMES, type Quirks } from "./openai-compatible/index.js";

export const DEFAULT_TIMEOUTS: CallTimeouts = { connect: 5_000, firstToken: 60_000, idle: 60_000, total: 600_000 };
/** The embedded engine may load (or pull) a model before its first token. */
const EMBEDDED_TIMEOUTS: CallTimeouts = { connect: 5_000, firstToken: 600_000, idle: 60_000, total: 1_800_000 };

export type EmbeddedFactory = (name: string, backend: EmbeddedBackendConfig, config: Config) => Promise<ChatModel>;

export interface Backends {
  handles: Map<string, BackendHandle>;
  /** Created models (embedded ones only after first use), for status views. */
  created(name: string): ChatModel | undefined;
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

interface Built {
  inHouse: boolean;
  models: string[];
  timeouts: CallTimeouts;
  maxQueue: number | undefined;
  model: () => Promise<ChatModel>;
}

function remote(name: string, b: RemoteBackendConfig, config: Config, register: (m: ChatModel) => void): Built {
  const where = config.file ?? "the built-in defaults";
  const preset = b.preset === undefined ? undefined : getPreset(b.preset);
  if (b.preset !== undefined && !preset) {
    throw new ConfigError(`${where}: backends.${name}.preset: unknown preset "${b.preset}"; choose one of ${PRESET_NAMES.join(", ")}`);
  }
  const type = b.type ?? (preset ? "openai" : undefined);
  if (!type) throw new ConfigError(`${where}: backends.${name}: set type (openai, ollama or embedded) or a preset`);
  const presetName = b.preset ?? (type === "ollama" ? "ollama" : undefined);
  const base = b.base_url ?? (presetName ? getPreset(presetName)?.baseUrl : undefined);
  if (!base) throw new ConfigError(`${where}: backends.${name}.base_url is required (or a preset that fills it)`);
  // Ollama is reached through its OpenAI-compatible endpoint under /v1.
  const baseUrl = type === "ollama" && !/\/v1\/?$/.test(base) ? `${base.replace(/\/$/, "")}/v1` : base;
  const inHouse = b.in_house ?? isPrivateHost(baseUrl);
  const apiKey = b.api_key ?? (preset?.apiKeyEnv ? process.env[preset.apiKeyEnv] : undefined);
  let quirks: Partial<Quirks> | undefined;
  try {
    quirks = b.quirks ? parseQuirkOverrides(b.quirks) : undefined;
  } catch (err) {
    throw new ConfigError(`${where}: backends.${name}.quirks: ${(err as Error).message}`);
  }
  const instance = createOpenAICompatible({
    backend: name,
    baseUrl,
    inHouse,
    ...(apiKey ? { apiKey } : {}),
    ...(b.headers ? { headers: b.headers } : {}),
    ...(presetName ? { preset: presetName } : {}),
    ...(b.max_connections ? { maxConnections: b.max_connections } : {}),
    ...(quirks ? { quirks } : {}),
  });
  register(instance);
  const ready = Promise.resolve(instance);
  return { inHouse, models: b.models ?? [], timeouts: timeoutsFor(b, config, DEFAULT_TIMEOUTS), maxQueue: b.max_queue, model: () => ready };
}

function embedded(name: string, b: EmbeddedBackendConfig, config: Config, factory: EmbeddedFactory | undefined, register: (m: ChatModel) => void): Built {
  let pending: Promise<ChatModel> | undefined;
  // Configured names first, then every catalog model (pulled on first use).
  const models = [...new Set([...Object.keys(b.models), ...listCatalog().filter((m) => m.gguf.length > 0).map((m) => m.name)])];
  return {
    inHouse: b.in_house ?? true,
    models,
    timeouts: timeoutsFor(b, config, EMBEDDED_TIMEOUTS),
    // The engine queues per model itself (slots + max_queue); the router adds none by default.
    maxQueue: undefined,
    model: () => {
      if (!factory) return Promise.reject(new ConfigError(`backends.${name}: the embedded engine is not available in this process`));
      pending ??= factory(name, b, config).then((m) => (register(m), m));
      return pending;
    },
  };
}

export function createBackends(config: Config, embeddedFactory?: EmbeddedFactory): Backends {
  const handles = new Map<string, BackendHandle>();
  const created = new Map<string, ChatModel>();
  for (const [name, b] of Object.entries(config.backends)) {
    const register = (m: ChatModel) => void created.set(name, m);
    const built = b.type === "embedded" ? embedded(name, b, config, embeddedFactory, register) : remote(name, b, config, register);
    handles.set(name, {
      name,
      inHouse: built.inHouse,
      timeouts: built.timeouts,
      retries: b.retries,
      maxConcurrency: b.max_concurrency,
      maxQueue: built.maxQueue ?? 64,
      models: built.models,
      model: built.model,
    });
  }
  return {
    handles,
    created: (name) => created.get(name),
    close: async () => {
      await Promise.allSettled([...created.values()].map((m) => m.close()));
    },
  };
}
