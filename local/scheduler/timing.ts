import { parseSchedule } from '../../core/schedule.ts';
import type { ScheduleTiming } from '../../core/schedule-runs.ts';
import type { ScheduleRecord } from './records.ts';

/** When a stored schedule may run, from its record (validated when it was stored). */
export function timingOf(record: ScheduleRecord): ScheduleTiming {
  const parsed = parseSchedule(record.ScheduleExpression).schedule;
  if (!parsed) throw new Error(`stored schedule ${record.Name} has an invalid expression`);
  return {
    parsed,
    timeZone: record.ScheduleExpressionTimezone,
    startDate: record.StartDate === undefined ? undefined : new Date(record.StartDate * 1000),
    endDate: record.EndDate === undefined ? undefined : new Date(record.EndDate * 1000),
  };
}
