/**
 * What the courier and its customers agree on: the tracking events of a
 * waybill, the order they come in, and EMS tracking numbers (UPU S10:
 * two letters, eight digits, a check digit, the country).
 */

const TRACKING_EVENTS = ['pickedUp', 'inTransit', 'delivered', 'returned'] as const;
export type TrackingEvent = (typeof TRACKING_EVENTS)[number];
export type WaybillStatus = 'created' | 'cancelled' | TrackingEvent;

/** Which events may follow a status: a parcel is picked up once, travels, and ends delivered or returned. */
const NEXT: Record<WaybillStatus, readonly TrackingEvent[]> = {
  created: ['pickedUp'],
  pickedUp: ['inTransit', 'delivered', 'returned'],
  inTransit: ['inTransit', 'delivered', 'returned'],
  delivered: [],
  returned: [],
  cancelled: [],
};

export const mayFollow = (status: WaybillStatus, event: TrackingEvent): boolean => NEXT[status].includes(event);

export const isTrackingEvent = (value: unknown): value is TrackingEvent => TRACKING_EVENTS.includes(value as TrackingEvent);

/**
 * The message a tracking event becomes. Delivered and returned are what a
 * flow waits for; pick-up and transit are progress, under one name of their
 * own so that they never wake a flow waiting for the outcome.
 */
export function messageNameFor(event: TrackingEvent): string {
  if (event === 'delivered') return 'courier.delivered';
  if (event === 'returned') return 'courier.returned';
  return 'courier.progress';
}

const S10 = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/;
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** The S10 check digit of eight serial digits. */
export function s10CheckDigit(serial: string): number {
  const sum = [...serial].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i]!, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** An EMS number in S10 form must carry its check digit: a mistyped digit is caught before anything is tracked. */
export function s10Problem(trackingNo: string): string | null {
  const match = S10.exec(trackingNo);
  if (!match) return null; // not an S10 number: other carriers' formats are taken as they are
  return s10CheckDigit(match[1]!) === Number(match[2]) ? null : 'the check digit does not match';
}

export const s10Number = (prefix: string, serial: string, country = 'CN'): string => `${prefix}${serial}${s10CheckDigit(serial)}${country}`;
