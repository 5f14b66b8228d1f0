import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIGURATION_PAGE, listVariables, renderConfigurationPage } from "../../scripts/config-docs.js";

describe("the configuration page", () => {
  it("describes every variable of the config schema", () => {
    const undescribed = listVariables()
      .filter((variable) => !variable.description?.trim())
      .map((variable) => variable.name);
    expect(undescribed, "add .describe(…) in src/config.ts").toEqual([]);
  });

  it("is the page the schema generates (run `npm run docs:config` after changing src/config.ts)", () => {
    expect(readFileSync(CONFIGURATION_PAGE, "utf8")).toBe(renderConfigurationPage());
  });

  it("lists every variable, MAIL_FROM included", () => {
    const page = readFileSync(CONFIGURATION_PAGE, "utf8");
    for (const { name } of listVariables()) expect(page).toContain(`| \`${name}\` |`);
    expect(page).toContain("| `MAIL_FROM` |");
  });
});
