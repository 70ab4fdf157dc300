import fs from 'node:fs';
import path from 'node:path';
import { readCalendar } from './core/calendar/read-calendar.ts';
import { CalendarRegistry } from './core/calendar/registry.ts';
import { readSlaTable, SlaRegistry } from './core/calendar/sla.ts';
import { WorkflowError } from './core/errors.ts';

/** The SLA tables, one JSON file each, read once at start like the calendars they run on. */
export function loadSlaTables(dir: string, calendars: CalendarRegistry): SlaRegistry {
  const registry = new SlaRegistry();
  if (!fs.existsSync(dir)) return registry;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      registry.register(readSlaTable(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), (key) => calendars.get(key) !== undefined));
    } catch (err) {
      throw new Error(`SLA table ${path.join(dir, file)}: ${err instanceof WorkflowError ? err.localizedMessage('en') : (err as Error).message}`, { cause: err });
    }
  }
  return registry;
}

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
