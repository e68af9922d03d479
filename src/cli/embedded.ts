// The embedded engine's factory: imported lazily so that node-llama-cpp loads only when a request first
// needs an in-process model.
import { catalogSourceLookup } from "../catalog/index.js";
import type { EmbeddedFactory } from "../providers/registry.js";

let used = false;

/** Releases llama.cpp's shared runtime, when an embedded model was ever created in this process. */
export async function disposeEmbedded(): Promise<void> {
  if (!used) return;
  const { disposeLlamaRuntimes } = await import("../engine/native.js");
  await disposeLlamaRuntimes();
}

export function embeddedFactory(overrides: { build?: "auto" | "never"; gpu?: false | "auto" } = {}): EmbeddedFactory {
  return async (name, backend, config) => {
    used = true;
    const { createEmbeddedBackend } = await import("../providers/embedded/index.js");
    return createEmbeddedBackend({
      name,
      config: backend,
      inHouse: backend.in_house ?? true,
      dataDir: config.data_dir,
      // Catalog names work without any config: the store resolves them to their GGUF sources.
      lookup: catalogSourceLookup,
      ...overrides,
    });
  };
}
