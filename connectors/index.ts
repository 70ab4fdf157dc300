/** The connectors this product ships, registered by name in the composition root. */
import type { Connector } from '../engine/core/connectors.ts';
import { emailConnector } from './email/index.ts';
import { identityConnector } from './identity/index.ts';
import { smsConnector } from './sms/index.ts';
import { voiceConnector } from './voice/index.ts';

export function builtinConnectors(): Connector[] {
  return [smsConnector(), emailConnector(), voiceConnector(), identityConnector()];
}
