import { parseSchedule, type Schedule } from './schedule.ts';
import { instantsOf, isTimeZone } from './time-zone.ts';

/**
 * A job's schedule as written in `defineJob`: a plain `rate(...)`/`cron(...)`
 * string is an EventBridge rule (UTC, as it always was); an object may add a
 * time zone, a flexible window, start and end dates, a payload, or be a
 * one-time `at(...)`, and is then an EventBridge Scheduler schedule.
 *
 * @example
 * schedule: { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' }
 */
export type ScheduleInput = string | ScheduleOptions;

export interface ScheduleOptions {
  /** `rate(value unit)`, `cron(6 fields)` or one-time `at(yyyy-mm-ddThh:mm:ss)`. */
  readonly expression: string;
  /** IANA time zone of a cron or at expression (DST as AWS applies it). @default 'UTC' */
  readonly timeZone?: string;
  /** A run may start up to this many minutes after its time, so runs spread out (1..1440). @default - on time */
  readonly flexibleWindowMinutes?: number;
  /** No run before this instant. @default - from deployment */
  readonly startDate?: Date | string;
  /** No run after this instant. @default - no end */
  readonly endDate?: Date | string;
  /** What each run's handler receives as its payload (the event's `detail`); checked against the schema. @default {} */
  readonly payload?: unknown;
  /**
   * `wait`: a run still going when the next one is due makes the next one wait
   * (the job must be FIFO: its runs share one message group). `allow`: runs
   * may overlap. @default 'allow'
   */
  readonly overlap?: 'allow' | 'wait';
}

/** A validated schedule: every layer (stack, local scheduler, status) reads this. */
export interface JobSchedule {
  /** Which AWS service runs it: an EventBridge rule, or an EventBridge Scheduler schedule. */
  readonly service: 'rule' | 'scheduler';
  readonly expression: string;
  readonly parsed: Schedule;
  readonly timeZone: string;
  readonly flexibleWindowMinutes: number | undefined;
  readonly startDate: Date | undefined;
  readonly endDate: Date | undefined;
  readonly payload: unknown;
  readonly overlap: 'allow' | 'wait';
}

const OPTION_KEYS = new Set([
  'expression',
  'timeZone',
  'flexibleWindowMinutes',
  'startDate',
  'endDate',
  'payload',
  'overlap',
]);
/** Options only EventBridge Scheduler offers: any of them makes the schedule a Scheduler schedule. */
const SCHEDULER_KEYS = ['timeZone', 'flexibleWindowMinutes', 'startDate', 'endDate', 'payload'];

/**
 * Validates one schedule or a list; returns the schedules, or every problem,
 * each naming the schedule (`schedule[1].timeZone is ...`).
 */
export function parseJobSchedules(input: ScheduleInput | readonly ScheduleInput[]): {
  schedules: JobSchedule[];
  problems: string[];
} {
  const list = Array.isArray(input) ? input : [input];
  const many = Array.isArray(input);
  if (many && list.length === 0) {
    return {
      schedules: [],
      problems: ['schedule is []; allowed: one schedule or a non-empty list'],
    };
  }
  const schedules: JobSchedule[] = [];
  const problems: string[] = [];
  list.forEach((item, index) => {
    const where = many ? `schedule[${index}]` : 'schedule';
    const parsed = parseOne(item as ScheduleInput, where);
    problems.push(...parsed.problems);
    if (parsed.schedule) schedules.push(parsed.schedule);
  });
  return { schedules, problems };
}

function parseOne(
  input: ScheduleInput,
  where: string,
): { schedule?: JobSchedule; problems: string[] } {
  if (typeof input === 'string') {
    const parsed = parseSchedule(input);
    if (!parsed.schedule) return { problems: parsed.problems.map((p) => rename(p, where)) };
    if (parsed.schedule.kind === 'at') {
      return {
        problems: [
          `${where} is ${JSON.stringify(input)}; allowed: a one-time at(...) only in the object form, { expression: 'at(...)', timeZone }`,
        ],
      };
    }
    return { schedule: defaults('rule', input, parsed.schedule), problems: [] };
  }
  if (typeof input !== 'object' || input === null) {
    return {
      problems: [
        `${where} is ${JSON.stringify(input)}; allowed: a rate(...)/cron(...) string or { expression, timeZone?, ... }`,
      ],
    };
  }
  const problems: string[] = [];
  const unknown = Object.keys(input).filter((key) => !OPTION_KEYS.has(key));
  if (unknown.length > 0) {
    problems.push(
      `unknown ${where} option ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${[...OPTION_KEYS].join(', ')}`,
    );
  }
  const parsed = parseSchedule(input.expression);
  problems.push(...(parsed.problems ?? []).map((p) => rename(p, `${where}.expression`)));
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    problems.push(
      `${where}.timeZone is ${JSON.stringify(input.timeZone)}; allowed: an IANA time zone such as "Europe/Berlin" or "UTC"`,
    );
  }
  const window = input.flexibleWindowMinutes;
  if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= 1440)) {
    problems.push(
      `${where}.flexibleWindowMinutes is ${JSON.stringify(window)}; allowed: an integer from 1 to 1440`,
    );
  }
  const startDate = date(input.startDate, `${where}.startDate`, problems);
  const endDate = date(input.endDate, `${where}.endDate`, problems);
  if (startDate && endDate && endDate <= startDate) {
    problems.push(
      `${where}.endDate is ${endDate.toISOString()}; allowed: after startDate (${startDate.toISOString()})`,
    );
  }
  if (input.overlap !== undefined && input.overlap !== 'allow' && input.overlap !== 'wait') {
    problems.push(
      `${where}.overlap is ${JSON.stringify(input.overlap)}; allowed: "allow" or "wait"`,
    );
  }
  if (
    parsed.schedule?.kind === 'at' &&
    isTimeZone(timeZone) &&
    instantsOf(parsed.schedule.at, timeZone).length === 0
  ) {
    problems.push(
      `${where}.expression is ${JSON.stringify(input.expression)}; that time does not exist in ${timeZone} (clocks go forward over it)`,
    );
  }
  if (problems.length > 0 || !parsed.schedule) return { problems };
  const service =
    parsed.schedule.kind === 'at' || SCHEDULER_KEYS.some((key) => key in input)
      ? 'scheduler'
      : 'rule';
  return {
    schedule: {
      ...defaults(service, input.expression, parsed.schedule),
      timeZone,
      flexibleWindowMinutes: window,
      startDate,
      endDate,
      payload: input.payload ?? {},
      overlap: input.overlap ?? 'allow',
    },
    problems: [],
  };
}

function defaults(
  service: JobSchedule['service'],
  expression: string,
  parsed: Schedule,
): JobSchedule {
  return {
    service,
    expression,
    parsed,
    timeZone: 'UTC',
    flexibleWindowMinutes: undefined,
    startDate: undefined,
    endDate: undefined,
    payload: {},
    overlap: 'allow',
  };
}

/** parseSchedule's messages say "schedule is ..."; in a list they name the entry. */
function rename(problem: string, where: string): string {
  return problem.replace(/^schedule\b/, where);
}

function date(
  value: Date | string | undefined,
  where: string,
  problems: string[],
): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    problems.push(
      `${where} is ${JSON.stringify(value)}; allowed: a Date or an ISO 8601 date-time such as "2027-01-04T09:00:00Z"`,
    );
    return undefined;
  }
  return parsed;
}
