/**
 * Wall-clock time in an IANA time zone, from the platform's own time-zone
 * database (Intl): the offset at an instant, and the instants that show a
 * given wall-clock time (none in a gap when clocks go forward, two in an
 * overlap when they go back).
 */

/** A wall-clock time as fields; month 1..12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True for a time zone the platform knows (IANA names such as `Europe/Berlin`, and `UTC`). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name === '') return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time an instant shows in the zone. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** A wall-clock time read as if it were UTC: the arithmetic form of wall times. */
export function wallTimeMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Milliseconds the zone is ahead of UTC at the instant. */
export function offsetMs(instant: Date, timeZone: string): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return wallTimeMs(wallTimeAt(whole, timeZone)) - whole.getTime();
}

/**
 * Every instant whose wall-clock time in the zone is `wall`, earliest first:
 * none when the time falls in a gap (clocks went forward past it), two when
 * it repeats (clocks went back over it), one otherwise.
 */
export function instantsOf(wall: WallTime, timeZone: string): Date[] {
  const local = wallTimeMs(wall);
  // Offsets in use around that time: a day either side covers every transition.
  const offsets = new Set(
    [-86_400_000, 0, 86_400_000].map((shift) => offsetMs(new Date(local + shift), timeZone)),
  );
  const found = [...offsets]
    .map((offset) => local - offset)
    .filter((ms) => wallTimeMs(wallTimeAt(new Date(ms), timeZone)) === local);
  return [...new Set(found)].sort((a, b) => a - b).map((ms) => new Date(ms));
}
