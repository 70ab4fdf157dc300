/** The webhook headers both ways (beside X-Timestamp and X-Signature from connectors/lib/signing.ts). */
export const ID_HEADER = 'x-webhook-id';
export const EVENT_HEADER = 'x-webhook-event';
export const SOURCE_HEADER = 'x-webhook-source';
