// The console's build: served by the gateway at /console/, hashed assets in dist/assets (cached forever),
// nothing loaded from elsewhere (the gateway may run air-gapped).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Small enough to inline nothing: every asset is a file the CSP allows ('self').
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite console` during development: API calls go to a gateway on the default port.
    proxy: { "/v1": "http://127.0.0.1:8484", "/admin": "http://127.0.0.1:8484", "/metrics": "http://127.0.0.1:8484" },
  },
});
