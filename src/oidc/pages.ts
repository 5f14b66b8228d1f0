import { translator } from "../i18n/catalogues.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { negotiateLocale } from "../i18n/negotiate.js";
import { escapeHtml } from "../mail/templates.js";

/** Whose pages these are and who reads them: the product's name, the browser's Accept-Language. */
export interface PageContext {
  appName: string;
  acceptLanguage: string | undefined;
}

/**
 * The few HTML pages oidc-provider itself renders: errors (e.g. an unregistered
 * redirect_uri, which is never redirected to), and the RP-initiated logout confirmation.
 * No script, no inline style; every value is escaped; the strings come from
 * `locales/<lang>/pages.json`.
 */
function page(
  context: PageContext,
  titleKey: string,
  body: (t: (key: string, values?: object) => string) => string,
) {
  const locale = negotiateLocale(SUPPORTED_LOCALES, context.acceptLanguage);
  const translate = translator(locale, "pages");
  const t = (key: string, values: object = {}) =>
    escapeHtml(translate(key, { app_name: context.appName, ...values }));
  const title = t(titleKey);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ${escapeHtml(context.appName)}</title></head>
<body><main><h1>${title}</h1>
${body(t)}
</main></body>
</html>`;
}

export function errorPage(context: PageContext, error: string, description: string | undefined): string {
  return page(
    context,
    "error_title",
    () => `<p role="alert">${escapeHtml(description ?? error)}</p><p><code>${escapeHtml(error)}</code></p>`,
  );
}

/**
 * `form` is oidc-provider's hidden form (its action and xsrf value); our button submits it
 * with `logout=yes`, which also signs the person out of this server.
 */
export function logoutPage(context: PageContext, form: string, clientName: string | undefined): string {
  const formId = "op.logoutForm";
  return page(
    context,
    "logout_title",
    (
      t,
    ) => `<p>${clientName ? t("logout_question_from", { client_name: clientName }) : t("logout_question")}</p>
${form}
<button type="submit" form="${formId}" name="logout" value="yes">${t("logout_confirm")}</button>
<button type="submit" form="${formId}">${t("logout_cancel")}</button>`,
  );
}

export function signedOutPage(context: PageContext): string {
  return page(context, "signed_out_title", (t) => `<p>${t("signed_out")}</p>`);
}
