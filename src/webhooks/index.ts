export {
  isWebhookEventType,
  type WebhookEventType,
  webhookEventTypes,
  webhooksForAuditEvent,
} from "./events.js";
export { createWebhookService, type WebhookEndpointView, type WebhookService } from "./service.js";
export { generateWebhookSecret, signatureFor, signedHeaders } from "./signing.js";
export { parseWebhookUrl, RefusedUrlError, type Resolver, resolveDeliveryTarget } from "./url-guard.js";
