import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import type { Outbox } from "../mail/outbox.js";
import type { AuditLog } from "../security/audit.js";
import type { CodeFailureBudget } from "../security/code-failure-budget.js";
import { keyedHash } from "../security/crypto.js";
import type { RateLimitStore } from "../security/rate-limit.js";
import type { SessionService } from "../sessions/index.js";
import type { UserService } from "../users/index.js";
import { createBrowserMarks } from "./browser-marks.js";
import { createPasswordlessLimits } from "./limits.js";
import type { PasswordlessProvider } from "./provider.js";
import { createSendService } from "./send-service.js";
import { createVerifyService } from "./verify-service.js";

export type { ChallengeStatus } from "./challenge.js";
export type { IssuedChallenge, SendInput } from "./send-service.js";
export type { ApprovalDetails, SignInResult } from "./verify-service.js";

export interface PasswordlessServiceOptions {
  db: Db;
  clock: Clock;
  provider: PasswordlessProvider;
  outbox: Outbox;
  users: UserService;
  sessions: SessionService;
  audit: AuditLog;
  limits: RateLimitStore;
  budget: CodeFailureBudget;
  emailKey: Buffer;
  bindingKey: Buffer;
  config: Pick<Config, "passwordless" | "limits" | "server" | "isProduction">;
}

/** The passwordless feature as the app wires it: sending (send-service) and verifying (verify-service). */
export function createPasswordlessService(options: PasswordlessServiceOptions) {
  const { db, clock, provider, audit, config } = options;
  const hashEmail = (email: string) => keyedHash(options.emailKey, email);
  const hashBinding = (binding: string) => keyedHash(options.bindingKey, binding);
  const limits = createPasswordlessLimits({ store: options.limits, clock, audit, config });
  const shared = { db, clock, provider, audit, limits, hashBinding, config };
  return {
    ...createSendService({ ...shared, outbox: options.outbox, users: options.users, hashEmail }),
    ...createVerifyService({
      ...shared,
      users: options.users,
      sessions: options.sessions,
      budget: options.budget,
    }),
    hashEmail,
    marks: createBrowserMarks(options.bindingKey),
  };
}

export type PasswordlessService = ReturnType<typeof createPasswordlessService>;
