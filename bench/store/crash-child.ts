// For the crash measurement: records one usage row per millisecond (in 10-row bursts every 10 ms) and
// prints how many it has recorded, until it is killed. argv: store options JSON, flush interval ms.
import { openStore, type StoreOptions } from "../../src/store/index.js";

const options = JSON.parse(process.argv[2]!) as StoreOptions;
const store = await openStore({ ...options, usage: { flushIntervalMs: Number(process.argv[3]), batchSize: 1_000_000 } });
let n = 0;
process.stdout.write("ready\n");
setInterval(() => {
  for (let i = 0; i < 10; i++) store.usage.record({ request_id: `r${++n}`, key_id: "k", prompt_tokens: 1, status: 200 });
  process.stdout.write(`${n}\n`);
}, 10);
