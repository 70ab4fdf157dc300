import pino from 'pino';
import type { Logger } from './core/ports.ts';

/** Structured JSON logs on stdout (pino). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'workflow' } });
}
