import type * as z from 'zod';
import { InvalidJobDefinitionError } from './errors.ts';
import { validateEventPattern } from './event-pattern.ts';
import type { JobDefinition, JobSpec } from './job.ts';
import { type JobSchedule, parseJobSchedules } from './job-schedule.ts';
import { jobNameProblem } from './naming.ts';
import { checkPayloadNow, isPayloadSchema, type PayloadSchema } from './payload-schema.ts';
import {
  crossSettingViolations,
  type JobSettings,
  resolveSettings,
  settingsSchema,
} from './settings.ts';

const IDENTITY_KEYS = new Set(['name', 'schema', 'handler', 'schedule', 'events', 'example']);

/**
 * Defines a job once; the CDK stack, the Lambda handler, the local runtime and
 * the client all derive from what it returns. Throws `InvalidJobDefinitionError`
 * listing every violation at once.
 *
 * @example
 * export const resize = defineJob({
 *   name: 'resize',
 *   schema: z.object({ key: z.string() }),
 *   handler: async ({ key }, ctx) => ctx.logger.info('resizing', { key }),
 *   timeoutSeconds: 60,
 * });
 */
export function defineJob<Schema extends PayloadSchema, const Name extends string>(
  spec: JobSpec<Schema, Name>,
): JobDefinition<Schema, Name> {
  const jobName = typeof spec?.name === 'string' ? spec.name : '(unnamed)';
  const violations: string[] = [];
  const nameProblem = jobNameProblem(spec?.name);
  if (nameProblem) violations.push(nameProblem);
  if (!isPayloadSchema(spec?.schema)) {
    violations.push(
      'schema must be a Standard Schema (zod, zod/mini, valibot, arktype...: an object with ~standard.validate)',
    );
  }
  if (typeof spec?.handler !== 'function') {
    violations.push('handler must be a function (payload, ctx) => Promise<void>');
  }

  const { schedules, problems: scheduleProblems } =
    spec?.schedule === undefined
      ? { schedules: [], problems: [] }
      : parseJobSchedules(spec.schedule);
  violations.push(...scheduleProblems);
  if (spec?.events !== undefined) {
    violations.push(...validateEventPattern(spec.events).map((p) => `events: ${p}`));
  }

  if (spec?.example !== undefined && isPayloadSchema(spec.schema)) {
    const checked = checkPayloadNow(spec.schema, spec.example);
    if (!checked.ok) {
      violations.push(`example does not match the schema: ${checked.issues.join('; ')}`);
    }
  }
  const settings = parseSettings(spec ?? {}, violations);
  if (
    settings?.fifo &&
    (schedules.length > 0 || spec.events) &&
    !settings.fifo.contentBasedDeduplication
  ) {
    violations.push(
      'fifo.contentBasedDeduplication is false; allowed: true when a schedule or events rule targets the FIFO queue (EventBridge sends no deduplication id)',
    );
  }
  if (isPayloadSchema(spec?.schema)) violations.push(...payloadProblems(spec.schema, schedules));
  if (settings && !settings.fifo) {
    schedules.forEach((schedule, i) => {
      if (schedule.overlap === 'wait') {
        violations.push(
          `${schedules.length > 1 ? `schedule[${i}]` : 'schedule'}.overlap is "wait"; allowed: only on a FIFO job (fifo: true), whose runs wait for each other in one message group`,
        );
      }
    });
  }
  if (violations.length > 0 || !settings) throw new InvalidJobDefinitionError(jobName, violations);

  return Object.freeze({
    name: spec.name,
    schema: spec.schema,
    handler: spec.handler,
    schedules,
    events: spec.events,
    hasRule: schedules.length > 0 || spec.events !== undefined,
    example: spec.example,
    settings: deepFreeze(settings),
  });
}

function parseSettings(spec: object, violations: string[]): JobSettings | undefined {
  const input = Object.fromEntries(Object.entries(spec).filter(([k]) => !IDENTITY_KEYS.has(k)));
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    violations.push(...result.error.issues.map((issue) => describeIssue(issue, input)));
    return undefined;
  }
  const settings = resolveSettings(result.data);
  violations.push(...crossSettingViolations(settings));
  return settings;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    const known =
      issue.path.length > 0
        ? 'see the backoff and fifo docs'
        : Object.keys(settingsSchema.shape).join(', ');
    return `unknown setting ${issue.keys.map((k) => `"${where}${k}"`).join(', ')}; known: ${known}`;
  }
  const path = issue.path.join('.');
  const value = issue.path.reduce<unknown>(
    (at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey],
    input,
  );
  return `${path} is ${JSON.stringify(value) ?? 'undefined'}; allowed: ${issue.message}`;
}

/** A schedule's payload is what each of its runs gets: it must pass the job's schema. */
function payloadProblems(schema: PayloadSchema, schedules: readonly JobSchedule[]): string[] {
  return schedules.flatMap((schedule, i) => {
    const checked = checkPayloadNow(schema, schedule.payload);
    if (checked.ok) return [];
    const where = schedules.length > 1 ? `schedule[${i}]` : 'schedule';
    return [`${where}.payload does not match the schema: ${checked.issues.join('; ')}`];
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
