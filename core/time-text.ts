/**
 * Instants and durations as bgjobs shows them to people, in the CLI, the dashboard
 * and `npm start`: 24-hour UTC with the zone named, the zone schedules (`rate`,
 * `cron`) and EventBridge event times are in.
 */

/**
 * `2026-12-01 14:05:03 UTC`; the date is left out when it is `now`'s date (UTC).
 *
 * @example
 * utcTime(new Date('2026-12-01T14:05:03Z')); // '2026-12-01 14:05:03 UTC'
 * utcTime(new Date('2026-12-01T14:05:03Z'), new Date('2026-12-01T09:00:00Z')); // '14:05:03 UTC'
 */
export function utcTime(at: Date, now?: Date): string {
  const iso = at.toISOString();
  const time = `${iso.slice(11, 19)} UTC`;
  const sameDay = now !== undefined && now.toISOString().slice(0, 10) === iso.slice(0, 10);
  return sameDay ? time : `${iso.slice(0, 10)} ${time}`;
}

/** 42 s, 3 min, 2 h 5 min, 1 d 3 h */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/**
 * `2027-01-04 09:00:00 Europe/Berlin`: an instant as the wall clock of a time zone shows it.
 *
 * @example
 * zonedTime(new Date('2027-01-04T08:00:00Z'), 'Europe/Berlin'); // '2027-01-04 09:00:00 Europe/Berlin'
 */
export function zonedTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${timeZone}`;
}
