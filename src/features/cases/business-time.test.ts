import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, zonedInstant, zoneOffsetMs } from './business-time.ts';
import type { BusinessCalendar, OpeningInterval } from './business-time.ts';

const nineToFive: OpeningInterval[] = [{ start: '09:00', end: '17:00' }];

function calendar(timeZone: string, days: Partial<Record<'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat', OpeningInterval[]>>, holidays: string[] = []): BusinessCalendar {
  return { timeZone, holidays, hours: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], ...days } };
}

const weekdays9to5 = (tz: string, holidays: string[] = []) =>
  calendar(tz, { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive }, holidays);
const everyDay9to5 = (tz: string) =>
  calendar(tz, { sun: nineToFive, mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: nineToFive });
const iso = (d: Date) => d.toISOString();

describe('time zone arithmetic', () => {
  it.each([
    ['Europe/London', '2026-01-15T12:00:00Z', 0],
    ['Europe/London', '2026-07-01T12:00:00Z', 60],
    ['America/New_York', '2026-01-15T12:00:00Z', -300],
    ['America/New_York', '2026-07-01T12:00:00Z', -240],
  ])('%s is UTC%+d min at %s', (tz, at, minutes) => {
    expect(zoneOffsetMs(Date.parse(at), tz)).toBe(minutes * 60_000);
  });

  it('maps a wall time skipped by spring-forward to just after the gap, and a repeated one to its later instant', () => {
    expect(new Date(zonedInstant(2026, 3, 29, 90, 'Europe/London')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(zonedInstant(2026, 10, 25, 90, 'Europe/London')).toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(new Date(zonedInstant(2026, 3, 8, 150, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(zonedInstant(2026, 11, 1, 90, 'America/New_York')).toISOString()).toBe('2026-11-01T06:30:00.000Z');
    expect(new Date(zonedInstant(2026, 6, 1, 9 * 60, 'America/New_York')).toISOString()).toBe('2026-06-01T13:00:00.000Z');
  });
});

describe('business minutes across daylight saving time', () => {
  it.each([
    // London, Mon–Fri 09:00–17:00: Friday 16:00 GMT + 2 h lands on Monday 10:00 BST (09:00Z) after the clocks went forward.
    ['London spring', weekdays9to5('Europe/London'), '2026-03-27T16:00:00Z', 120, '2026-03-30T09:00:00.000Z'],
    // London autumn: Friday 16:00 BST (15:00Z) + 2 h lands on Monday 10:00 GMT (10:00Z).
    ['London autumn', weekdays9to5('Europe/London'), '2026-10-23T15:00:00Z', 120, '2026-10-26T10:00:00.000Z'],
    // New York, every day 09:00–17:00: Saturday 16:00 EST + 2 h is Sunday 10:00 EDT (14:00Z), the day DST starts.
    ['New York spring', everyDay9to5('America/New_York'), '2026-03-07T21:00:00Z', 120, '2026-03-08T14:00:00.000Z'],
    // New York autumn: Saturday 16:30 EDT + 1 h is Sunday 09:30 EST (14:30Z), the day DST ends.
    ['New York autumn', everyDay9to5('America/New_York'), '2026-10-31T20:30:00Z', 60, '2026-11-01T14:30:00.000Z'],
    // A start before opening counts from the opening.
    ['before hours', weekdays9to5('America/New_York'), '2026-06-02T10:00:00Z', 30, '2026-06-02T13:30:00.000Z'],
    // A holiday (Friday 25 December) is skipped entirely.
    ['holiday', weekdays9to5('Europe/London', ['2026-12-25']), '2026-12-24T16:30:00Z', 60, '2026-12-28T09:30:00.000Z'],
  ])('%s', (_name, cal, start, minutes, expected) => {
    const due = addBusinessMinutes(new Date(start), minutes, cal);
    expect(iso(due)).toBe(expected);
    expect(businessMinutesBetween(new Date(start), due, cal)).toBe(minutes);
  });

  it('counts the real length of a day that gains or loses an hour', () => {
    const sundays = calendar('Europe/London', { sun: [{ start: '00:00', end: '24:00' }] });
    expect(businessMinutesBetween(new Date('2026-03-29T00:00:00Z'), new Date('2026-03-30T00:00:00Z'), sundays)).toBe(23 * 60);
    expect(businessMinutesBetween(new Date('2026-10-24T23:00:00Z'), new Date('2026-10-26T00:00:00Z'), sundays)).toBe(25 * 60);
    const nySundays = calendar('America/New_York', { sun: [{ start: '00:00', end: '24:00' }] });
    expect(businessMinutesBetween(new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'), nySundays)).toBe(23 * 60);
  });

  it('treats a calendar open around the clock as elapsed time', () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const always = calendar('Europe/London', { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay });
    expect(iso(addBusinessMinutes(new Date('2026-03-28T23:00:00Z'), 24 * 60, always))).toBe('2026-03-29T23:00:00.000Z');
  });

  it('adds and measures consistently (property)', () => {
    const cal = weekdays9to5('America/New_York', ['2026-07-03', '2026-11-26']);
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 * 24 * 60 }), fc.integer({ min: 0, max: 5000 }), (offset, minutes) => {
        const from = new Date(start + offset * 60_000);
        const due = addBusinessMinutes(from, minutes, cal);
        expect(due.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(businessMinutesBetween(from, due, cal)).toBe(minutes);
      }),
      { numRuns: 300 },
    );
  });
});
