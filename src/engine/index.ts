// The embedded engine's public face. Importing it does not load node-llama-cpp: that happens when the
// first model is loaded (see native.ts).
export { ModelManager, type ModelResolver, type ModelSession, type ModelStatus } from "./model-manager.js";
export { ServedModel } from "./served-model.js";
export { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
export { renderChatPrompt, messageText, type RenderedPrompt } from "./chat-prompt.js";
export { callSyntax, mightBeCall, parseTemplateCalls, forcedCallSchema, parseForcedCall, type ParsedCall } from "./tool-calls.js";
export { findUnsupportedFeature, type UnsupportedFeature } from "./json-schema/unsupported.js";
export { validateJson } from "./json-schema/validate.js";
export { narrowForGrammar, tightenNumberRules } from "./json-schema/for-grammar.js";
export { engineSettings, defaultMemoryBudget, type EngineEnvironment } from "./settings.js";
export { availableCores, defaultThreads } from "./threads.js";
export { isNodeLlamaCppLoaded, disposeLlamaRuntimes } from "./native.js";
export type { EngineSettings, EmbeddedModelSpec, LoraAdapterSpec } from "./types.js";
