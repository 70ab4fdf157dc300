/** The connectors this product ships, registered by name in the composition root. */
import type { Connector } from '../engine/core/connectors/port.ts';
import { backendSyncConnector } from './backend-sync/index.ts';
import { courierConnector } from './courier/index.ts';
import { emailConnector } from './email/index.ts';
import { identityConnector } from './identity/index.ts';
import { paymentConnector } from './payment/index.ts';
import { queueConnector } from './queue-number/index.ts';
import { smsConnector } from './sms/index.ts';
import { voiceConnector } from './voice/index.ts';
import { webhookConnector } from './webhook/index.ts';

export function builtinConnectors(): Connector[] {
  return [smsConnector(), emailConnector(), voiceConnector(), identityConnector(), courierConnector(), queueConnector(), paymentConnector(), webhookConnector(), backendSyncConnector()];
}
