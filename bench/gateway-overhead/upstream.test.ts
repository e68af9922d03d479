import { test } from "node:test";
import assert from "node:assert/strict";
import { CANNED_JSON, CANNED_SSE_EVENTS, chatBody } from "./canned.js";
import { nginxConfig } from "./upstream.js";

const conf = nginxConfig({ dir: "/tmp/x", port: 4321, modulePath: "/m/echo.so", gapMs: 5 });

test("the stream/JSON routing regex matches the bodies clients and re-serialising gateways send", () => {
  // The regex as nginx sees it, after the config's string unescaping.
  const m = /"(~.*)" stream;/.exec(conf);
  assert.ok(m?.[1]);
  const re = new RegExp(m[1].slice(1).replace(/\\"/g, '"').replace(/\\\\/g, "\\"));
  assert.ok(re.test(chatBody("m", true)));
  assert.ok(re.test('{"model":"m", "stream" : true}'));
  assert.ok(!re.test(chatBody("m", false)));
  assert.ok(!re.test('{"model":"m","stream":false}'));
});

test("the config serves the canned JSON and every SSE event, paced and flushed", () => {
  assert.ok(conf.includes(`return 200 '${CANNED_JSON}';`));
  for (const e of CANNED_SSE_EVENTS) assert.ok(conf.includes(`echo 'data: ${e}';`), e);
  assert.equal(conf.match(/echo_flush;/g)?.length, CANNED_SSE_EVENTS.length);
  assert.equal(conf.match(/echo_sleep 0\.005;/g)?.length, CANNED_SSE_EVENTS.length - 1);
  assert.ok(conf.includes("listen 127.0.0.1:4321"));
  assert.ok(conf.startsWith("load_module /m/echo.so;"));
  assert.ok(!CANNED_JSON.includes("'") && !CANNED_JSON.includes("$"), "no quoting or variable hazards");
});
