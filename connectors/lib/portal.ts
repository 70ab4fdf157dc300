import type { OperationContext } from '../../engine/core/connectors/port.ts';

/** The portal's address in a connector's default settings, as its simulator's address tells it: http://host:port/sim/sms → http://host:port/portal. */
export const portalUrlOf = (simulatorBaseUrl: string): string => `${simulatorBaseUrl.replace(/\/sim\/[\w-]+$/, '') || 'http://127.0.0.1:3000'}/portal`;

/** A signed link back to the portal for this job's case: the page at `path`, valid this long. */
export const portalLink = (ctx: Pick<OperationContext, 'link'>, portalUrl: string, path: string, validForMs: number): string => `${portalUrl}${path}?token=${ctx.link(path, validForMs)}`;
