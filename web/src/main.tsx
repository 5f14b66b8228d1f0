import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { AppConfigProvider, applyBranding, chooseLocale, loadAppConfig } from "./lib/app-config.js";
import { showLocale } from "./lib/i18n.js";
import { takeLinkTokenFromAddressBar } from "./lib/link-token.js";
import "./styles.css";

// First thing, before React renders or any request is made.
const linkToken = takeLinkTokenFromAddressBar();

async function start(root: HTMLElement) {
  // Name, colour and language first, so the page never flashes in the wrong ones.
  const config = await loadAppConfig();
  applyBranding(config);
  await showLocale(chooseLocale(config));
  createRoot(root).render(
    <StrictMode>
      <AppConfigProvider config={config}>
        <App linkToken={linkToken} />
      </AppConfigProvider>
    </StrictMode>,
  );
}

const root = document.getElementById("root");
if (root) void start(root);
