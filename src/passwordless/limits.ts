import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { AuditLog } from "../security/audit.js";
import { clientKeyOf } from "../security/client-ip.js";
import { enforceRateLimits, type RateLimitRule, type RateLimitStore } from "../security/rate-limit.js";
import type { RequestContext } from "../sessions/index.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Who asks for a mail: the browser (its binding hash), and its device id when it signed in to this account before. */
export interface Requester {
  browserHash: string;
  knownDeviceId: string | undefined;
}

/**
 * The send and verify limits (SECURITY.md 14, 34). A stranger must not be able to stop a
 * person from signing in, so the cooldown and hourly cap count per requesting browser;
 * a flood cap per address across all browsers bounds the mail a victim can be sent; and a
 * browser holding a device cookie for the account counts on its own quota, which the
 * flood cap never touches. Every rule is the same for known and unknown addresses.
 */
export function createPasswordlessLimits({
  store,
  clock,
  audit,
  config,
}: {
  store: RateLimitStore;
  clock: Clock;
  audit: AuditLog;
  config: Pick<Config, "limits">;
}) {
  const settings = config.limits;

  async function limit(rules: RateLimitRule[], context: RequestContext, emailHash?: string) {
    if (!settings.enabled) return;
    let refusedBy: string | undefined;
    try {
      await enforceRateLimits(store, rules, clock.now(), (rule) => {
        refusedBy = rule.key.split(":")[0] ?? "";
      });
    } catch (error) {
      // Recorded before answering, so the row exists when the 429 arrives; an audit failure never hides the 429.
      if (refusedBy !== undefined) {
        await audit
          .record({ type: "rate_limited", emailHash, detail: { rule: refusedBy }, ...context })
          .catch(() => {});
      }
      throw error;
    }
  }

  function quotaFor(scope: string, requesterKey: string): RateLimitRule[] {
    const cooldown = settings.sendCooldownSeconds;
    return [
      ...(cooldown > 0
        ? [{ key: `${scope}-cooldown:${requesterKey}`, windowMs: cooldown * 1000, limit: 1 }]
        : []),
      { key: `${scope}-hour:${requesterKey}`, windowMs: HOUR_MS, limit: settings.sendsPerEmailPerHour },
    ];
  }

  /** Per IP, then the requester's own quota for this address, then (for strangers) the address's flood cap. */
  async function enforceSendLimits(emailHash: string, requester: Requester, context: RequestContext) {
    const perIp = {
      key: `send-ip:${clientKeyOf(context.ip)}`,
      windowMs: MINUTE_MS,
      limit: settings.sendsPerIpPerMinute,
    };
    const rules = requester.knownDeviceId
      ? quotaFor("send-device", `${emailHash}:${requester.knownDeviceId}`)
      : [
          ...quotaFor("send", `${emailHash}:${requester.browserHash}`),
          { key: `send-flood:${emailHash}`, windowMs: HOUR_MS, limit: settings.sendFloodPerEmailPerHour },
        ];
    await limit([perIp, ...rules], context, emailHash);
  }

  async function enforceVerifyLimits(context: RequestContext) {
    const key = `verify-ip:${clientKeyOf(context.ip)}`;
    await limit([{ key, windowMs: MINUTE_MS, limit: settings.verifiesPerIpPerMinute }], context);
  }

  return { enforceSendLimits, enforceVerifyLimits };
}

export type PasswordlessLimits = ReturnType<typeof createPasswordlessLimits>;
