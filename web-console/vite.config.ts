/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The console is served by the control plane under /console/ (see control-plane ConsoleRoutes).
// The build lands in target/classes so the Maven module's jar carries it as
// META-INF/resources/console, which Quarkus serves as static content.
export default defineConfig({
  base: "/console/",
  build: {
    outDir: "target/classes/META-INF/resources/console",
    emptyOutDir: true,
    // No inline script: the page must run under `default-src 'self'`.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
  },
});
