import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readCalendar } from '../../engine/core/calendar/read-calendar.ts';
import { addDuration, addWorkingTime, NoWorkingTime, workingTimeBetween } from '../../engine/core/calendar/working-calendar.ts';
import { Explained, WorkflowError } from '../../engine/core/errors.ts';

const CALENDARS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/calendars');
const load = (name: string) => readCalendar(JSON.parse(fs.readFileSync(path.join(CALENDARS, `${name}.json`), 'utf8')));
/** Beijing wall time → epoch ms. */
const bj = (text: string) => Date.parse(`${text}:00+08:00`);
const show = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const HOUR = 3600_000;

describe('working calendars', () => {
  const office = load('office-hours');
  const always = load('7x24');
  const lunch = readCalendar({ key: 'with-lunch', week: { mon: ['09:00-12:00', '13:30-17:30'], tue: ['09:00-12:00', '13:30-17:30'], wed: ['09:00-12:00', '13:30-17:30'], thu: ['09:00-12:00', '13:30-17:30'], fri: ['09:00-12:00', '13:30-17:30'] } });

  describe('adding working time', () => {
    it('Friday 17:00 + 4 working hours = Monday 12:00 on a 09:00–18:00 calendar', () => {
      expect(show(addDuration(office, bj('2026-11-27T17:00'), 'PT4H'))).to.equal('2026-11-30 12:00');
    });

    it('counts from the next working minute when started outside working hours (night, weekend)', () => {
      expect(show(addDuration(office, bj('2026-11-24T22:15'), 'PT1H'))).to.equal('2026-11-25 10:00');
      expect(show(addDuration(office, bj('2026-11-28T10:00'), 'PT30M'))).to.equal('2026-11-30 09:30');
    });

    it('skips the lunch break and ends exactly at the end of a period rather than at the next start', () => {
      expect(show(addDuration(lunch, bj('2026-11-24T11:00'), 'PT2H'))).to.equal('2026-11-24 14:30');
      expect(show(addDuration(lunch, bj('2026-11-24T11:00'), 'PT1H'))).to.equal('2026-11-24 12:00');
    });

    it('skips holidays and works the make-up days (National Day 2026 in the demo calendar)', () => {
      // Wednesday 30 September 17:00 + 2 h: 1 h that day, then Thursday 1 to Wednesday 7 October are off or holidays.
      expect(show(addDuration(office, bj('2026-09-30T17:00'), 'PT2H'))).to.equal('2026-10-08 10:00');
      // Saturday 26 September is a weekend, Sunday 27 a make-up working day.
      expect(show(addDuration(office, bj('2026-09-26T10:00'), 'PT1H'))).to.equal('2026-09-27 10:00');
      // Saturday 10 October is worked too.
      expect(show(addDuration(office, bj('2026-10-09T17:30'), 'PT1H'))).to.equal('2026-10-10 09:30');
    });

    it('counts days as working days at the same clock time; weeks as five of them', () => {
      expect(show(addDuration(office, bj('2026-11-27T17:00'), 'P1D'))).to.equal('2026-11-30 17:00');
      expect(show(addDuration(office, bj('2026-11-27T17:00'), 'P1DT2H'))).to.equal('2026-12-01 10:00');
      expect(show(addDuration(office, bj('2026-11-23T10:00'), 'P1W'))).to.equal('2026-11-30 10:00');
      expect(show(addDuration(office, bj('2026-09-30T10:00'), 'P3D')), 'across the holidays, the make-up Saturday counting').to.equal('2026-10-10 10:00');
      expect(show(addDuration(office, bj('2026-11-28T20:00'), 'P1D')), 'from a weekend evening').to.equal('2026-12-01 09:00');
    });

    it('runs around the clock on 7×24', () => {
      expect(show(addDuration(always, bj('2026-11-27T17:00'), 'PT4H'))).to.equal('2026-11-27 21:00');
      expect(show(addDuration(always, bj('2026-10-01T08:00'), 'P1D'))).to.equal('2026-10-02 08:00');
    });

    it('refuses years and months, fractions of days, and a calendar that never works', () => {
      expect(() => addDuration(office, 0, 'P1M')).to.throw(Explained, 'years and months');
      expect(() => addDuration(office, 0, 'P1.5D')).to.throw(Explained, 'fraction of a day');
      const never = { ...office, week: office.week.map(() => []), workdays: new Map() };
      expect(() => addWorkingTime(never, 0, HOUR)).to.throw(NoWorkingTime);
    });
  });

  describe('working time used (for escalation at a share of the SLA)', () => {
    it('counts only working time between two instants, across nights, weekends and holidays', () => {
      expect(workingTimeBetween(office, bj('2026-11-27T17:00'), bj('2026-11-30T12:00'))).to.equal(4 * HOUR);
      expect(workingTimeBetween(office, bj('2026-09-30T17:00'), bj('2026-10-08T10:00'))).to.equal(2 * HOUR);
      expect(workingTimeBetween(lunch, bj('2026-11-24T11:00'), bj('2026-11-24T14:30'))).to.equal(2 * HOUR);
      expect(workingTimeBetween(always, bj('2026-11-27T17:00'), bj('2026-11-27T21:00'))).to.equal(4 * HOUR);
      expect(workingTimeBetween(office, bj('2026-11-30T12:00'), bj('2026-11-27T17:00'))).to.equal(0);
    });

    it('is the inverse of adding: the time added is the time used', () => {
      for (const [start, duration] of [['2026-11-27T17:00', 'PT4H'], ['2026-09-30T11:20', 'PT13H'], ['2026-09-26T03:00', 'PT20H']] as const) {
        const from = bj(start);
        const due = addDuration(office, from, duration);
        const hours = Number(/PT(\d+)H/.exec(duration)![1]);
        expect(workingTimeBetween(office, from, due), `${start} + ${duration}`).to.equal(hours * HOUR);
      }
    });
  });

  describe('reading a calendar', () => {
    const refused = (input: unknown) => {
      try {
        readCalendar(input);
      } catch (err) {
        expect(err).to.be.instanceOf(WorkflowError);
        return (err as WorkflowError<'WF_ERR_VALIDATION'>).context;
      }
      return expect.fail('should be refused');
    };
    const week = { mon: ['09:00-18:00'] };

    it('names the field of each mistake, in both languages', () => {
      expect(refused({ key: 'Office Hours', week })).to.include({ field: 'key' });
      expect(refused({ key: 'k', week: { monday: ['09:00-18:00'] } })).to.include({ field: 'week.monday' });
      expect(refused({ key: 'k', week: { mon: ['9:00-18:00'] } })).to.include({ field: 'week.mon[0]', rule: 'format' });
      expect(refused({ key: 'k', week: { mon: ['18:00-09:00'] } })).to.include({ field: 'week.mon[0]' });
      expect(refused({ key: 'k', week: { mon: ['09:00-12:00', '11:00-18:00'] } })).to.include({ field: 'week.mon[1]', rule: 'order' });
      expect(refused({ key: 'k', week: {} })).to.include({ field: 'week', rule: 'required' });
      expect(refused({ key: 'k', week, holidays: ['2026-02-30'] })).to.include({ field: 'holidays[0]' });
      expect(refused({ key: 'k', week, holidays: ['2026-10-10'], workdays: ['2026-10-10'] })).to.include({ field: 'workdays[0]', rule: 'conflict' });
      expect(refused({ key: 'k', week, workdays: [{ date: '2026-10-10', hours: [] }] })).to.include({ field: 'workdays[0]' });
      expect(refused({ key: 'k', week, utcOffset: '8' })).to.include({ field: 'utcOffset' });
      const reason = refused({ key: 'k', week: { mon: ['9-18'] } }).reason;
      expect(reason['zh-CN']).to.include('09:00-18:00');
      expect(reason.en).to.include('09:00-18:00');
    });

    it('gives a make-up day its own hours, or Monday\'s', () => {
      const calendar = readCalendar({ key: 'k', week: { mon: ['08:30-17:00'] }, workdays: ['2026-10-10', { date: '2026-10-11', hours: ['09:00-12:00'] }] });
      expect(show(addDuration(calendar, bj('2026-10-10T08:00'), 'PT1H'))).to.equal('2026-10-10 09:30');
      expect(show(addDuration(calendar, bj('2026-10-11T11:00'), 'PT2H')), 'short day, then Monday').to.equal('2026-10-12 09:30');
    });
  });
});
