import { type CommandHandler, toCommands } from "../cli-command.js";
import type { Operations } from "./feature.js";

const iso = (date: Date | undefined) => (date ? date.toISOString() : "-");

/** `--name VALUE` / `--flag`; repeated options collect. Unknown options are an error. */
function parseOptions(args: string[], known: { values: string[]; flags: string[] }) {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    const name = arg.replace(/^--/, "");
    if (!arg.startsWith("--")) positional.push(arg);
    else if (known.flags.includes(name)) flags.add(name);
    else if (known.values.includes(name) && args[index + 1] !== undefined) {
      values[name] = [...(values[name] ?? []), args[index + 1] ?? ""];
      index++;
    } else throw new Error(`unknown or incomplete option ${arg}`);
  }
  return { values, flags, positional };
}

function onlyPositional(args: string[], what: string): string {
  const { positional } = parseOptions(args, { values: [], flags: [] });
  if (positional.length !== 1 || !positional[0]) throw new Error(`expected one ${what}`);
  return positional[0];
}

const handlers: Record<string, CommandHandler<Operations>> = {
  async "admin-keys create"({ adminKeys }, args, output) {
    const { values, flags } = parseOptions(args, { values: ["name"], flags: ["json"] });
    const name = values.name?.[0]?.trim();
    if (!name || name.length > 100) throw new Error("--name NAME is required (at most 100 characters)");
    const created = await adminKeys.create(name);
    if (flags.has("json"))
      output.info(JSON.stringify({ id: created.id, name: created.name, key: created.key }));
    else
      output.info(`admin key ${created.id} (${name}): ${created.key}\nstore it now: it is not shown again`);
  },
  async "admin-keys list"({ adminKeys }, args, output) {
    parseOptions(args, { values: [], flags: [] });
    const keys = await adminKeys.list();
    if (keys.length === 0) output.info("no admin keys: the admin API is off until one is created");
    for (const key of keys) {
      const status = key.revokedAt ? "revoked" : "live";
      output.info(
        `${key.id}  ${status.padEnd(7)}  ${key.name}  created ${iso(key.createdAt)}  last used ${iso(key.lastUsedAt)}`,
      );
    }
  },
  async "admin-keys revoke"({ adminKeys }, args, output) {
    const id = onlyPositional(args, "admin key id");
    if (!(await adminKeys.revoke(id))) throw new Error(`no live admin key ${id}`);
    output.info(`admin key ${id} revoked`);
  },
  async "webhooks add"({ webhooks }, args, output) {
    const { values, flags } = parseOptions(args, { values: ["url", "event"], flags: ["json"] });
    const url = values.url?.[0];
    if (!url) throw new Error("--url URL is required");
    const added = await webhooks.addEndpoint({ url, events: values.event });
    if (flags.has("json"))
      output.info(
        JSON.stringify({ id: added.id, url: added.url, events: added.events ?? null, secret: added.secret }),
      );
    else output.info(`webhook ${added.id} → ${added.url}\nsigning secret (shown once): ${added.secret}`);
  },
  async "webhooks list"({ webhooks }, args, output) {
    parseOptions(args, { values: [], flags: [] });
    const endpoints = await webhooks.list();
    if (endpoints.length === 0) output.info("no webhook endpoints");
    for (const endpoint of endpoints) {
      const status = endpoint.disabledAt ? `disabled ${iso(endpoint.disabledAt)}` : "active";
      output.info(
        `${endpoint.id}  ${status}  ${endpoint.url}  events ${endpoint.events?.join(",") ?? "all"}  failures ${endpoint.consecutiveFailures}`,
      );
    }
  },
  async "webhooks remove"({ webhooks }, args, output) {
    const id = onlyPositional(args, "webhook id");
    await webhooks.remove(id);
    output.info(`webhook ${id} removed`);
  },
  async "webhooks rotate-secret"({ webhooks }, args, output) {
    const { positional, flags } = parseOptions(args, { values: [], flags: ["json"] });
    const id = positional[0];
    if (!id || positional.length !== 1) throw new Error("expected one webhook id");
    const rotated = await webhooks.rotateSecret(id);
    if (flags.has("json"))
      output.info(
        JSON.stringify({
          id,
          secret: rotated.secret,
          previous_secret_valid_until: rotated.previousSecretValidUntil.toISOString(),
        }),
      );
    else
      output.info(
        `webhook ${id}: new secret ${rotated.secret}\nthe old secret also signs until ${rotated.previousSecretValidUntil.toISOString()}`,
      );
  },
};

/** What `latchkey help` shows for each: the arguments, then what it does. */
const synopses: Record<string, readonly [string | undefined, string]> = {
  "admin-keys create": ["--name NAME [--json]", "create an admin API key (shown once)"],
  "admin-keys list": [undefined, "the admin API keys: id, status, name, created, last used"],
  "admin-keys revoke": ["ID", "revoke an admin API key at once"],
  "webhooks add": ["--url URL [--event TYPE]… [--json]", "add a webhook endpoint (its secret shown once)"],
  "webhooks list": [undefined, "the webhook endpoints and their events"],
  "webhooks remove": ["ID", "remove a webhook endpoint"],
  "webhooks rotate-secret": [
    "ID [--json]",
    "a new signing secret; the old one still signs during the overlap",
  ],
};

/** `latchkey admin-keys …` and `latchkey webhooks …`. */
export const adminCommands = toCommands((services) => services.operations, handlers, synopses);
