import { chromiumPath, hasChromium } from "./browser.js";
import { findMissingBuild } from "./server.js";

/**
 * Runs once before the e2e files. Without Chromium the suite is skipped with a printed
 * reason (the files check `hasChromium`); LATCHKEY_REQUIRE_SERVICES=1, set in CI, makes
 * that a failure. Without a build the suite fails: it tests what `npm run build` made.
 */
export default function setup() {
  if (!hasChromium) {
    const reason = `Chromium not found at ${chromiumPath} (apt-get install -y chromium)`;
    if (process.env.LATCHKEY_REQUIRE_SERVICES === "1") {
      throw new Error(`${reason}, and LATCHKEY_REQUIRE_SERVICES=1 requires it`);
    }
    console.warn(`\n⚠ ${reason}: skipping the browser end-to-end tests\n`);
    return;
  }
  const missing = findMissingBuild();
  if (missing) throw new Error(missing);
}
