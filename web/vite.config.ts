import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Latchkey server the dev server (`npx vite --config web/vite.config.ts`) talks to.
const server = "http://localhost:8000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // The server's CSP has no font-src or data: scripts: keep every asset a real file.
    assetsInlineLimit: 0,
    target: "es2022",
  },
  server: {
    proxy: {
      // The API checks Origin on writes; present the server's own origin through the proxy.
      "/api": { target: server, headers: { origin: server } },
      "/dev/mailbox": {
        target: server,
        bypass: (request) => (request.headers.accept?.includes("text/html") ? "/index.html" : undefined),
      },
    },
  },
});
