/// <reference types="vitest/config" />
// Builds the web desk into the Python package (server/web_dist) so `fxdesk serve` ships it without Node.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../server/web_dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: Object.fromEntries(
      ["/threads", "/runs", "/assistants", "/desk", "/dev", "/healthz"].map((p) => [p, "http://127.0.0.1:8123"]),
    ),
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
