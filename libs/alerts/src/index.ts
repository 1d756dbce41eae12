export { AlertsModule, AlertsApiModule, AlertsProcessorsModule } from './alerts.module.js';
export { NotificationChannelKind, WebhookFormat, NotificationEventType, DeliveryStatus, TEST_EVENT_TYPE } from './alert-types.js';
export { NotificationChannel } from './channels/notification-channel.entity.js';
export { NotificationDelivery } from './deliveries/notification-delivery.entity.js';
export { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, verifySignature, signatureHeader } from './sending/webhook-signature.js';
export type { AlertEvent } from './dispatch/alert-event.js';
