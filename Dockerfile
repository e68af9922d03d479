# syntax=docker/dockerfile:1
# inhouse gateway image: build with the dev dependencies, ship without them, run as the non-root `node` user.
#   docker build -t inhouse .
#   docker run -p 8484:8484 -v inhouse-data:/data inhouse
# The program's default listen address stays loopback; only this image passes --host 0.0.0.0 (see CMD).

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
# Compilers only as a fallback for native modules without a prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# node-llama-cpp ships prebuilt llama.cpp binaries as optional packages: never download or compile at build.
ENV NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
COPY package.json package-lock.json ./
# Scripts run later, once the sources are here (`prepare` builds them).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY console ./console
RUN npm rebuild --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund
# GPU builds of llama.cpp (CUDA ≈ 540 MB, Vulkan ≈ 80 MB) are dropped unless asked for: a gateway in front of
# vLLM/SGLang, or running small models on CPU, does not need them. --build-arg LLAMA_GPU=cuda|vulkan|all keeps them.
ARG LLAMA_GPU=none
RUN set -e; cd node_modules/@node-llama-cpp; \
    case "$(uname -m)" in \
      x86_64) rm -rf linux-arm64 linux-armv7l ;; \
      aarch64) rm -rf linux-x64 linux-x64-cuda linux-x64-cuda-ext linux-x64-vulkan linux-armv7l ;; \
    esac; \
    case "$LLAMA_GPU" in \
      all) ;; \
      cuda) rm -rf linux-x64-vulkan ;; \
      vulkan) rm -rf linux-x64-cuda linux-x64-cuda-ext ;; \
      *) rm -rf linux-x64-cuda linux-x64-cuda-ext linux-x64-vulkan ;; \
    esac

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    INHOUSE_DATA_DIR=/data \
    INHOUSE_PORT=8484
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/console/dist ./console/dist
# The data dir (SQLite, model files, a generated admin key) belongs to the unprivileged user.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8484
# node:20-slim has no curl: Node's fetch asks /healthz (alive), which needs no key.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.INHOUSE_PORT || 8484) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: stop accepting, finish running requests (server.shutdown_grace).
# The same V8 flags as `npm start`: a small young generation keeps GC pauses and resident memory down
# (measured in bench/gateway-overhead).
ENTRYPOINT ["node", "--max-semi-space-size=2", "--heap-growing-percent=100", "bin/inhouse.js"]
CMD ["serve", "--host", "0.0.0.0"]
