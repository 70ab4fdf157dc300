import fs from 'node:fs';
import path from 'node:path';
import { readCalendar } from './core/calendar/read-calendar.ts';
import { CalendarRegistry } from './core/calendar/registry.ts';
import { WorkflowError } from './core/errors.ts';

/** The working calendars, one JSON file each, read once at start; a mistake stops the start, naming the file and the field. */
export function loadCalendars(dir: string): CalendarRegistry {
  const registry = new CalendarRegistry();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      registry.register(readCalendar(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))));
    } catch (err) {
      throw new Error(`calendar ${path.join(dir, file)}: ${err instanceof WorkflowError ? err.localizedMessage('en') : (err as Error).message}`, { cause: err });
    }
  }
  return registry;
}
