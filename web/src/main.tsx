import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { takeLinkTokenFromAddressBar } from "./lib/link-token.js";
import "./styles.css";

// First thing, before React renders or any request is made.
const linkToken = takeLinkTokenFromAddressBar();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App linkToken={linkToken} />
    </StrictMode>,
  );
}
