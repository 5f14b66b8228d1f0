/**
 * Screenshots of the sign-in mail for docs/mail-templates.md: English light, German dark,
 * and a 360 px phone. `npx tsx scripts/mail-screenshots.ts` (needs Chromium, like the e2e tests).
 */
import { chromium } from "playwright-core";
import { createMailRenderer, sampleMailContent } from "../src/mail/templates.js";

const NOW = Date.UTC(2026, 10, 29, 14, 32);
const renderer = createMailRenderer(
  {
    appName: "Acme",
    publicUrl: new URL("https://auth.acme.example"),
    timeZone: "Europe/Berlin",
    codeInSubject: true,
    supportEmail: "help@acme.example",
  },
  () => NOW,
);

const shots = [
  { name: "mail-sign-in-en-light", locale: "en", dark: false, width: 700 },
  { name: "mail-sign-in-de-dark", locale: "de", dark: true, width: 700 },
  { name: "mail-sign-in-en-phone", locale: "en", dark: false, width: 360 },
];

const browser = await chromium.launch({
  executablePath: process.env.LATCHKEY_CHROMIUM_PATH ?? "/usr/bin/chromium",
});
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: 800 } });
    await page.emulateMedia({ colorScheme: shot.dark ? "dark" : "light" });
    // Offline: the sample logo is not fetched, no request leaves the machine.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(renderer.render(sampleMailContent("SIGNIN", NOW), shot.locale).html);
    await page.screenshot({ path: `docs/screenshots/${shot.name}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
}
