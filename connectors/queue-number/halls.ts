/**
 * The halls a queue machine serves, as the connector's settings name them
 * (and the vendor configures the machine alike): where they are, when they
 * open, the time slots citizens book with their quota of online numbers,
 * how long a number takes at a window on average, and the letter each
 * matter's numbers carry. One number sequence per hall per day is shared by
 * every matter, online and on site.
 */

export interface Hall {
  id: string;
  name: string;
  address: string;
  /** Local time (UTC+8), HH:MM. */
  opensAt: string;
  closesAt: string;
  minutesPerNumber: number;
  /** The day is booked in slots of this length, from opening time. */
  slotMinutes: number;
  /** Online numbers per slot; walk-in tickets come on top, up to the day's capacity. */
  slotQuota: number;
  /** Days ahead a number can be booked. */
  bookingDays: number;
  /** When, the day before, the reminder SMS goes (HH:MM). */
  remindAt: string;
  /** Minutes after its slot ends that a number nobody answered is a no-show. */
  noShowAfterMinutes: number;
  /** Matter → the letter its numbers start with. */
  matters: Record<string, string>;
}

export const DEFAULT_HALLS: readonly Hall[] = [
  {
    id: 'xc-admin',
    name: '许昌市公安局行政服务大厅',
    address: '河南省许昌市魏都区七一路 88 号',
    opensAt: '09:00',
    closesAt: '17:00',
    minutesPerNumber: 4,
    slotMinutes: 60,
    slotQuota: 10,
    bookingDays: 14,
    remindAt: '18:00',
    noShowAfterMinutes: 30,
    matters: { 户口迁移: 'A', 身份证办理: 'B', 居住证办理: 'C' },
  },
  {
    id: 'xc-vehicle',
    name: '许昌市公安局车管大厅',
    address: '河南省许昌市建安区许繁路 1 号',
    opensAt: '08:30',
    closesAt: '17:30',
    minutesPerNumber: 6,
    slotMinutes: 90,
    slotQuota: 15,
    bookingDays: 14,
    remindAt: '18:00',
    noShowAfterMinutes: 30,
    matters: { 机动车登记: 'A', 驾驶证业务: 'B', 违法处理: 'C' },
  },
];

/** The JSON Schema of one hall in the connector's settings. */
export const HALL_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'address', 'opensAt', 'closesAt', 'minutesPerNumber', 'slotMinutes', 'slotQuota', 'bookingDays', 'remindAt', 'noShowAfterMinutes', 'matters'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' },
    name: { type: 'string', minLength: 1, maxLength: 60 },
    address: { type: 'string', minLength: 1, maxLength: 200 },
    opensAt: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
    closesAt: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
    minutesPerNumber: { type: 'integer', minimum: 1, maximum: 120 },
    slotMinutes: { type: 'integer', minimum: 10, maximum: 720 },
    slotQuota: { type: 'integer', minimum: 1, maximum: 999 },
    bookingDays: { type: 'integer', minimum: 0, maximum: 90 },
    remindAt: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
    noShowAfterMinutes: { type: 'integer', minimum: 0, maximum: 720 },
    matters: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', pattern: '^[A-Z]$' } },
  },
} as const;

const HALL_OFFSET_MS = 8 * 3600_000;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const clock = (at: number) => `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;

/** The hall's calendar day at `now` (YYYY-MM-DD, UTC+8). */
export const hallDay = (now: number, plusDays = 0): string => new Date(now + HALL_OFFSET_MS + plusDays * 86_400_000).toISOString().slice(0, 10);

/** The instant of a hall-local day and time. */
export const hallTime = (day: string, hhmm: string): number => Date.parse(`${day}T${hhmm}:00+08:00`);

/** How many numbers a day holds: the opening hours at the average pace. */
export const dailyQuota = (hall: Hall): number => Math.floor((minutes(hall.closesAt) - minutes(hall.opensAt)) / hall.minutesPerNumber);

/** When number `seq` of the day may expect to be called (HH:MM): opening time plus the numbers before it at the average pace. */
export const referenceTime = (hall: Hall, seq: number): string => clock(minutes(hall.opensAt) + (seq - 1) * hall.minutesPerNumber);

/** The day's slots, `HH:MM-HH:MM`, from opening to closing (the last one cut at closing time). */
export function slotsOf(hall: Hall): string[] {
  const slots: string[] = [];
  for (let at = minutes(hall.opensAt); at < minutes(hall.closesAt); at += hall.slotMinutes) slots.push(`${clock(at)}-${clock(Math.min(at + hall.slotMinutes, minutes(hall.closesAt)))}`);
  return slots;
}

/** When the k-th online number of a slot may expect to be called: the slot's time shared out evenly. */
export function slotReferenceTime(hall: Hall, slot: string, k: number): string {
  const [from = '', to = ''] = slot.split('-');
  return clock(minutes(from) + Math.floor(((k - 1) * (minutes(to) - minutes(from))) / hall.slotQuota));
}

export const displayNumber = (letter: string, seq: number): string => `${letter}${String(seq).padStart(3, '0')}`;
