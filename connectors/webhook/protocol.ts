/** The webhook headers both ways (beside X-Timestamp and X-Signature from connectors/lib/signing.ts). */
export const ID_HEADER = 'x-webhook-id';
export const EVENT_HEADER = 'x-webhook-event';
export const SOURCE_HEADER = 'x-webhook-source';

/**
 * What an inbound event's signature covers: its id and its body. The id is what makes a second
 * delivery a replay, so a captured event sent again under a new id must not verify.
 */
export const signedEvent = (id: string, body: string | Buffer): Buffer => Buffer.concat([Buffer.from(`${id}\n`), Buffer.from(body)]);
