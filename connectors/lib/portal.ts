/** The portal's address in a connector's default settings, as its simulator's address tells it: http://host:port/sim/sms → http://host:port/portal. */
export const portalUrlOf = (simulatorBaseUrl: string): string => `${simulatorBaseUrl.replace(/\/sim\/[\w-]+$/, '') || 'http://127.0.0.1:3000'}/portal`;
