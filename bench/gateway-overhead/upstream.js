// @ts-check
// The fake upstream: Debian's nginx with the echo module, one worker, no daemon, its own config in a temp dir.
//
// Routing: every subject posts to the same `/v1/chat/completions`, so gateways need one backend only. nginx
// cannot parse JSON, but `echo_read_request_body` makes `$request_body` available and a `map` with a regex on
// `"stream": true` picks the answer; `echo_exec` then jumps to an internal location: canned JSON (`return 200`,
// with Content-Length, like vLLM) or paced SSE (each event flushed, `echo_sleep` between events).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CANNED_JSON, CANNED_SSE_EVENTS } from "./canned.js";

/** Milliseconds between streamed events; the first event goes out at once. */
export const SSE_GAP_MS = 5;

const MODULE_DIRS = ["/usr/lib/nginx/modules", "/usr/share/nginx/modules"];

export function echoModulePath() {
  for (const dir of MODULE_DIRS) {
    const p = join(dir, "ngx_http_echo_module.so");
    if (existsSync(p)) return p;
  }
  throw new Error("ngx_http_echo_module.so not found: install libnginx-mod-http-echo");
}

/** nginx single-quoted string: escape backslashes and quotes. @param {string} s */
function quote(s) {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * @param {{ dir: string, port: number, modulePath: string, gapMs?: number }} o
 */
export function nginxConfig({ dir, port, modulePath, gapMs = SSE_GAP_MS }) {
  const sleep = (gapMs / 1000).toFixed(3);
  const events = CANNED_SSE_EVENTS.map(
    (data, i) => `      echo ${quote(`data: ${data}`)};\n      echo;\n      echo_flush;\n` + (i < CANNED_SSE_EVENTS.length - 1 ? `      echo_sleep ${sleep};\n` : ""),
  ).join("");
  return `load_module ${modulePath};
daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "nginx-error.log")} warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  client_body_buffer_size 64k;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  map $request_body $chat_kind {
    "~\\"stream\\"\\s*:\\s*true" stream;
    default json;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location = /v1/chat/completions {
      echo_read_request_body;
      echo_exec /_canned/$chat_kind;
    }
    location = /_canned/json {
      internal;
      default_type application/json;
      return 200 ${quote(CANNED_JSON)};
    }
    location = /_canned/stream {
      internal;
      default_type text/event-stream;
      add_header Cache-Control no-cache;
${events}    }
    location = /v1/models {
      default_type application/json;
      return 200 '{"object":"list","data":[{"id":"canned-model","object":"model","owned_by":"bench"}]}';
    }
  }
}
`;
}

/**
 * Writes the config into `dir` and returns the argv that runs nginx in the foreground.
 * @param {{ dir: string, port: number }} o
 */
export function prepareNginx({ dir, port }) {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig({ dir, port, modulePath: echoModulePath() }));
  return ["/usr/sbin/nginx", "-p", dir, "-e", join(dir, "nginx-error.log"), "-c", conf];
}
