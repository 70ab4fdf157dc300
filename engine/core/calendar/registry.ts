/** The working calendars due dates are counted on, by key (7×24 is always there). */
import { ALWAYS, type WorkingCalendar } from './working-calendar.ts';

export class CalendarRegistry {
  readonly #calendars = new Map<string, WorkingCalendar>([[ALWAYS.key, ALWAYS]]);

  /** A later calendar with a key replaces the earlier one (this year's holidays). */
  register(calendar: WorkingCalendar): this {
    this.#calendars.set(calendar.key, calendar);
    return this;
  }

  get(key: string): WorkingCalendar | undefined {
    return this.#calendars.get(key);
  }

  keys(): string[] {
    return [...this.#calendars.keys()].sort();
  }
}
