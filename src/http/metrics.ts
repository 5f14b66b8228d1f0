import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { loadOnFirstUse } from "../load-on-first-use.js";
import type { OutboxStatus } from "../mail/outbox-store.js";
import { API_PREFIX } from "./paths.js";

/** Routes whose outcome is counted; labels are route names and catalogue codes only. */
const SEND_ROUTES: Record<string, string> = {
  [`${API_PREFIX}/send-passwordless`]: "send",
  [`${API_PREFIX}/resend-passwordless`]: "resend",
};
const VERIFY_ROUTES: Record<string, string> = {
  [`${API_PREFIX}/verify-otp`]: "otp",
  [`${API_PREFIX}/verify-magic-link`]: "magic_link",
  [`${API_PREFIX}/approve-magic-link`]: "approve_link",
  [`${API_PREFIX}/complete-approval`]: "complete_approval",
};
const CODE_SHAPE = /^[a-z_]{1,40}$/;

export interface MetricsSources {
  /** Read at scrape time; a failure (database down) leaves the outbox gauges out of that scrape. */
  readOutboxStatus(): Promise<OutboxStatus>;
  /** Undefined without Redis. */
  rateLimitMode?: () => "shared" | "fallback";
  now(): number;
}

/**
 * The Prometheus registry of one app. Counters come from HTTP outcomes (route pattern and
 * stable error code, never a path with a token in it, never an email) and from the
 * outbox; gauges are read when scraped.
 */
export function createMetrics(sources: MetricsSources) {
  // Loaded only when metrics are on (they are off by default): prom-client holds about 2 MB of heap.
  const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } =
    loadOnFirstUse<typeof import("prom-client")>("prom-client");
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "latchkey_" });
  const requestDuration = new Histogram({
    name: "latchkey_http_request_duration_seconds",
    help: "HTTP request latency by route pattern",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const sends = new Counter({
    name: "latchkey_passwordless_sends_total",
    help: "send-passwordless and resend requests by outcome (queued or an error code)",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const verifications = new Counter({
    name: "latchkey_verifications_total",
    help: "Verification attempts by method and outcome (success or an error code)",
    labelNames: ["method", "outcome"] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "latchkey_rate_limited_total",
    help: "Requests refused with 429 rate_limited, by route",
    labelNames: ["route"] as const,
    registers: [registry],
  });
  const mailDeliveries = new Counter({
    name: "latchkey_mail_deliveries_total",
    help: "Outbox delivery attempts by outcome: sent, retry (will try again) or failed (gave up)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const outboxPending = new Gauge({
    name: "latchkey_outbox_pending",
    help: "Mail waiting in the outbox (not sent, not failed)",
    registers: [registry],
  });
  const outboxOldestAge = new Gauge({
    name: "latchkey_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest undelivered mail; 0 when the outbox is empty",
    registers: [registry],
  });
  const outboxFailed = new Gauge({
    name: "latchkey_outbox_failed",
    help: "Mail marked failed after its last attempt (see `latchkey outbox retry`)",
    registers: [registry],
  });
  if (sources.rateLimitMode) {
    const readMode = sources.rateLimitMode;
    new Gauge({
      name: "latchkey_rate_limits_shared",
      help: "1 while rate limits are counted in Redis, 0 while falling back to the database",
      registers: [registry],
      collect() {
        this.set(readMode() === "shared" ? 1 : 0);
      },
    });
  }

  async function collectOutbox(): Promise<void> {
    try {
      const status = await sources.readOutboxStatus();
      outboxPending.set(status.pending);
      outboxFailed.set(status.failed);
      outboxOldestAge.set(
        status.oldestPendingAt === null ? 0 : Math.max(0, (sources.now() - status.oldestPendingAt) / 1000),
      );
    } catch {
      outboxPending.reset();
      outboxFailed.reset();
      outboxOldestAge.reset();
    }
  }

  function errorCodeOf(payload: unknown): string {
    if (typeof payload !== "string") return "error";
    try {
      const code = (JSON.parse(payload) as { code?: unknown }).code;
      return typeof code === "string" && CODE_SHAPE.test(code) ? code : "error";
    } catch {
      return "error";
    }
  }

  function observeOutcome(route: string, status: number, payload: unknown) {
    const kind = SEND_ROUTES[route];
    const method = VERIFY_ROUTES[route];
    if (!kind && !method && status !== 429) return;
    const outcome = status < 400 ? undefined : errorCodeOf(payload);
    if (outcome === "rate_limited") rateLimited.inc({ route });
    if (kind) sends.inc({ kind, outcome: outcome ?? "queued" });
    if (method) verifications.inc({ method, outcome: outcome ?? "success" });
  }

  return {
    registry,
    observeOutcome,
    observeDuration(method: string, route: string, status: number, seconds: number) {
      requestDuration.observe({ method, route, status_code: String(status) }, seconds);
    },
    recordMailDelivery(outcome: "sent" | "retry" | "failed") {
      mailDeliveries.inc({ outcome });
    },
    async render(): Promise<{ contentType: string; body: string }> {
      await collectOutbox();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function isMetricsEnabled(config: Pick<Config, "metrics">): boolean {
  return config.metrics.isPublic || config.metrics.token !== undefined;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Constant-time check of `Authorization: Bearer <METRICS_TOKEN>`. */
function hasMetricsToken(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  const presented = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : "";
  return timingSafeEqual(digest(presented), digest(token));
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? "unmatched";
}

/**
 * Records every request and serves GET /metrics: open with METRICS_PUBLIC=true, else
 * only with the METRICS_TOKEN bearer (403 `metrics_forbidden`). Without either, the
 * plugin is not registered and /metrics is a 404.
 */
export const metricsPlugin = fp(
  async (
    app: FastifyInstance,
    { metrics, config }: { metrics: Metrics; config: Pick<Config, "metrics"> },
  ) => {
    app.addHook("onSend", async (request, reply: FastifyReply, payload) => {
      metrics.observeOutcome(routeOf(request), reply.statusCode, payload);
      return payload;
    });
    app.addHook("onResponse", async (request, reply) => {
      const route = routeOf(request);
      if (route === "/metrics") return;
      metrics.observeDuration(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
    app.get(
      "/metrics",
      { schema: { tags: ["operations"], summary: "Prometheus metrics (METRICS_TOKEN bearer)" } },
      async (request, reply) => {
        const token = config.metrics.token;
        if (!config.metrics.isPublic && (token === undefined || !hasMetricsToken(request, token))) {
          throw new AppError("metrics_forbidden");
        }
        const { contentType, body } = await metrics.render();
        return reply.type(contentType).send(body);
      },
    );
  },
  { name: "metrics" },
);
