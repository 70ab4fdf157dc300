/** The queue connector's settings: the machine's address and the halls it serves. */
import type { ConnectorConfig } from '../../engine/core/connectors/port.ts';
import { DEFAULT_HALLS, HALL_SCHEMA, type Hall } from './halls.ts';

export interface QueueSettings {
  baseUrl: string;
  timeoutMs: number;
  /** Absent in settings saved before halls were configurable: the shipped ones. */
  halls?: Hall[];
}

export const SETTINGS_SCHEMA = {
  type: 'object',
  required: ['baseUrl', 'timeoutMs'],
  properties: {
    baseUrl: { type: 'string', format: 'uri' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
    halls: { type: 'array', minItems: 1, maxItems: 100, items: HALL_SCHEMA },
  },
};

export const hallsOf = (config: ConnectorConfig): readonly Hall[] => (config.settings as unknown as QueueSettings).halls ?? DEFAULT_HALLS;
