export type * from "./chat.js";
export type * from "./completion.js";
export type * from "./embedding.js";
export type * from "./model.js";
