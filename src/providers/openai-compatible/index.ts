export { createOpenAICompatible, type OpenAICompatibleSettings } from "./provider.js";
export { getPreset, PRESET_NAMES, PRESETS, type Preset } from "./presets.js";
export { DEFAULT_QUIRKS, parseQuirkOverrides, resolveQuirks, VENDOR_QUIRKS, type Quirks, type ReasoningEcho, type ThinkTags } from "./quirks.js";
export { splitThinkText, ThinkSplitter } from "./think-splitter.js";
