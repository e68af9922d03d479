// For the crash measurement: records one usage row per millisecond (in 10-row bursts every 10 ms) and
// prints how many it has recorded, until it is killed.
import { openStore } from "../../src/store/index.js";

const [dataDir, interval] = process.argv.slice(2);
const store = await openStore({ database: "sqlite", dataDir: dataDir!, usage: { flushIntervalMs: Number(interval), batchSize: 1_000_000 } });
let n = 0;
process.stdout.write("ready\n");
setInterval(() => {
  for (let i = 0; i < 10; i++) store.usage.record({ request_id: `r${++n}`, key_id: "k", prompt_tokens: 1, status: 200 });
  process.stdout.write(`${n}\n`);
}, 10);
