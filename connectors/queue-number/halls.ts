/**
 * The halls a queue machine serves, as its vendor configures them: where
 * they are, when they open, how long a number takes at a window on average,
 * and the letter each matter's numbers carry. One number sequence per hall
 * per day is shared by every matter, online and on site.
 */

export interface Hall {
  id: string;
  name: string;
  address: string;
  /** Local time (UTC+8), HH:MM. */
  opensAt: string;
  closesAt: string;
  minutesPerNumber: number;
  /** Matter → the letter its numbers start with. */
  matters: Record<string, string>;
}

export const HALLS: readonly Hall[] = [
  {
    id: 'xc-admin',
    name: '许昌市公安局行政服务大厅',
    address: '河南省许昌市魏都区七一路 88 号',
    opensAt: '09:00',
    closesAt: '17:00',
    minutesPerNumber: 4,
    matters: { 户口迁移: 'A', 身份证办理: 'B', 居住证办理: 'C' },
  },
  {
    id: 'xc-vehicle',
    name: '许昌市公安局车管大厅',
    address: '河南省许昌市建安区许繁路 1 号',
    opensAt: '08:30',
    closesAt: '17:30',
    minutesPerNumber: 6,
    matters: { 机动车登记: 'A', 驾驶证业务: 'B', 违法处理: 'C' },
  },
];

const HALL_OFFSET_MS = 8 * 3600_000;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The hall's calendar day at `now` (YYYY-MM-DD, UTC+8). */
export const hallDay = (now: number, plusDays = 0): string => new Date(now + HALL_OFFSET_MS + plusDays * 86_400_000).toISOString().slice(0, 10);

/** How many numbers a day holds: the opening hours at the average pace. */
export const dailyQuota = (hall: Hall): number => Math.floor((minutes(hall.closesAt) - minutes(hall.opensAt)) / hall.minutesPerNumber);

/** When number `seq` may expect to be called (HH:MM): opening time plus the numbers before it at the average pace. */
export function referenceTime(hall: Hall, seq: number): string {
  const at = minutes(hall.opensAt) + (seq - 1) * hall.minutesPerNumber;
  return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
}

export const displayNumber = (letter: string, seq: number): string => `${letter}${String(seq).padStart(3, '0')}`;
