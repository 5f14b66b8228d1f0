import { defineConfig } from "vitest/config";

/**
 * Browser end-to-end tests: `npx vitest run --config vitest.e2e.config.ts` after
 * `npm run build`. Each file starts the built server (`node dist/server.js`) with a real
 * SMTP sink and drives Debian's Chromium through playwright-core. One file at a time:
 * every file runs a server and a browser, and the machine has two cores.
 */
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.e2e.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/support/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
