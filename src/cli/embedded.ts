// The embedded engine's factory: imported lazily so that node-llama-cpp loads only when a request first
// needs an in-process model.
import { catalogSourceLookup } from "../catalog/index.js";
import type { EmbeddedFactory } from "../providers/registry.js";

export function embeddedFactory(overrides: { build?: "auto" | "never"; gpu?: false | "auto" } = {}): EmbeddedFactory {
  return async (name, backend, config) => {
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
