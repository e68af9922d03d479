export { embeddingBody, modelList } from "./encode.js";
export { parseChatRequest } from "./parse-chat.js";
export { parseCompletionRequest, parseEmbeddingRequest } from "./parse-other.js";
