// Business-time arithmetic in a workspace's IANA time zone. Opening hours are wall-clock times ("09:00"–"17:00"), so
// each day's intervals are converted to instants separately: a day that loses or gains an hour to daylight saving
// time then simply has a shorter or longer span between the same wall-clock times.

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

/** Wall-clock opening interval, "HH:MM" to "HH:MM" ("24:00" ends at midnight). */
export interface OpeningInterval {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  hours: Record<Weekday, OpeningInterval[]>;
  /** Local dates ("YYYY-MM-DD") on which the business is closed all day. */
  holidays: string[];
}

const minuteMs = 60_000;
const dayMs = 86_400_000;
// A calendar with at least one opening a week reaches any target within this many days, even past a year of holidays.
const maxScanDays = 800;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTimeOf(instant: number, timeZone: string): WallTime {
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant))) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        wall[part.type] = Number(part.value);
        break;
      default:
        break;
    }
  }
  return wall;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const w = wallTimeOf(whole, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

/**
 * The instant at which the zone's wall clock shows `minuteOfDay` on the given local date. A wall time skipped by a
 * spring-forward gap maps to the same distance after the gap; a repeated autumn wall time maps to its later instant.
 */
export function zonedInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * minuteMs;
  // The offsets a day either side cover both sides of any transition near this wall time.
  const candidates = [...new Set([zoneOffsetMs(wall - dayMs, timeZone), zoneOffsetMs(wall + dayMs, timeZone)])].map((o) => wall - o);
  const exact = candidates.filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  return Math.max(...(exact.length > 0 ? exact : candidates));
}

function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

function isAlwaysOpen(calendar: BusinessCalendar): boolean {
  if (calendar.holidays.length > 0) return false;
  return weekdays.every((d) => {
    const intervals = calendar.hours[d];
    return intervals.length === 1 && intervals[0].start === '00:00' && intervals[0].end === '24:00';
  });
}

/** The calendar's opening intervals as instants, in order, from the local day containing `from` onwards. */
function* openings(from: number, calendar: BusinessCalendar): Generator<[number, number]> {
  const local = wallTimeOf(from, calendar.timeZone);
  // Start a day early: a zone far behind UTC can still have yesterday's local evening open at `from`.
  let date = Date.UTC(local.year, local.month - 1, local.day) - dayMs;
  const holidays = new Set(calendar.holidays);
  for (let i = 0; i < maxScanDays; i += 1, date += dayMs) {
    const iso = isoDate(date);
    if (holidays.has(iso)) continue;
    const d = new Date(date);
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    for (const interval of calendar.hours[weekdays[d.getUTCDay()]]) {
      const start = zonedInstant(year, month, day, minuteOfDay(interval.start), calendar.timeZone);
      const end = zonedInstant(year, month, day, minuteOfDay(interval.end), calendar.timeZone);
      if (end > from && end > start) yield [start, end];
    }
  }
  throw new Error('the business calendar has no opening hours within two years');
}

/** The instant `minutes` of business time after `start` (a start outside hours counts from the next opening). */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  const from = start.getTime();
  if (isAlwaysOpen(calendar)) return new Date(from + minutes * minuteMs);
  let remaining = Math.max(0, minutes) * minuteMs;
  for (const [open, close] of openings(from, calendar)) {
    const begin = Math.max(open, from);
    const available = close - begin;
    if (remaining <= available) return new Date(begin + remaining);
    remaining -= available;
  }
  throw new Error('unreachable: openings() ends by throwing');
}

/** Business minutes between two instants (0 when `end` is not after `start`), rounded down to whole minutes. */
export function businessMinutesBetween(start: Date, end: Date, calendar: BusinessCalendar): number {
  const from = start.getTime();
  const to = end.getTime();
  if (to <= from) return 0;
  if (isAlwaysOpen(calendar)) return Math.floor((to - from) / minuteMs);
  let total = 0;
  for (const [open, close] of openings(from, calendar)) {
    if (open >= to) break;
    total += Math.min(close, to) - Math.max(open, from);
  }
  return Math.floor(total / minuteMs);
}
