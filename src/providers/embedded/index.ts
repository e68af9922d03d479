export { createEmbeddedBackend, type EmbeddedBackendSettings, type EmbeddedChatModel } from "./embedded-backend.js";
