// A second process appending to the audit log, for the cross-process chain test. argv: store options JSON,
// count. Prints "ready" once open, waits for "go" on stdin so both processes append at the same moment.
import { openStore, type StoreOptions } from "../src/store/index.js";

const options = JSON.parse(process.argv[2] ?? "{}") as StoreOptions;
const count = Number(process.argv[3] ?? "10");
const store = await openStore(options);
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  await Promise.all(Array.from({ length: count }, (_, i) => store.audit.append({ actor: "child", action: "config.load", subject: `c${i}`, details: { i } })));
  await store.close();
  process.stdout.write("done\n");
  process.exit(0);
});
