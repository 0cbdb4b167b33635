/**
 * Outbound webhooks (docs/WEBHOOKS.md): admins subscribe URLs to case and alert events; a background worker posts
 * each matching event, signed with HMAC-SHA256, retrying with back-off and disabling a subscription that keeps failing.
 */
export { caseEventTypes, eventFamilies, isWebhookEventPattern } from './webhook-event-types.ts';
export { checkTargetUrl, isPrivateAddress } from './target.guard.ts';
export { webhookHeaders, webhookSignature, signedHeaders, verifyWebhookSignature, signatureToleranceSeconds } from './webhook.signature.ts';
export { createWebhookWorker, webhookRetryPolicy, defaultMaxConsecutiveFailures, deliveryBody } from './webhook.worker.ts';
export type { WebhookWorker, WebhookWorkerOptions } from './webhook.worker.ts';
export {
  getSubscriptions,
  getSubscription,
  createSubscription,
  changeSubscription,
  rotateSubscriptionSecret,
  removeSubscription,
  getDeliveries,
} from './subscription.service.ts';
export type { WebhookDeps, NewSubscription, SubscriptionPatch, SubscriptionWithSecret } from './subscription.service.ts';
export type { WebhookSubscription } from './subscription.repository.ts';
export { deliveryStates } from './delivery.repository.ts';
export type { DeliveryView, DeliveryState } from './delivery.repository.ts';
