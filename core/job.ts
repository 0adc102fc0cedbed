import type { EventPattern } from './event-pattern.ts';
import type { JobSchedule, ScheduleInput } from './job-schedule.ts';
import type { EventMetadata } from './messages.ts';
import type { PayloadInput, PayloadOutput, PayloadSchema } from './payload-schema.ts';
import type { JobSettings, SettingsInput } from './settings.ts';

/** The logging calls a handler may make (Powertools' Logger provides them). */
export interface JobLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

export type MetricUnitName = 'Count' | 'Milliseconds' | 'Seconds' | 'Bytes' | 'Percent' | 'None';

/** Custom metrics a handler may add; they are written as CloudWatch EMF with the job as dimension. */
export interface JobMetrics {
  addMetric(name: string, unit: MetricUnitName, value: number): void;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly jobName: string;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
  /** 1 on the first delivery; SQS's `ApproximateReceiveCount`. */
  readonly attempt: number;
  readonly messageId: string;
  /** When the message was sent to the queue (`SentTimestamp`). */
  readonly enqueuedAt: Date;
  /** Milliseconds until the function times out. */
  readonly remainingTimeMs: () => number;
  /** Aborts shortly before the function times out; pass it to fetch and SDK calls. */
  readonly signal: AbortSignal;
  /** Set when an EventBridge rule (schedule or event pattern) started this job. */
  readonly event: EventMetadata | undefined;
}

export type JobHandler<Payload> = (payload: Payload, ctx: JobContext) => Promise<void> | void;

/** What `defineJob` takes: identity, payload schema, handler, trigger and settings. */
export interface JobSpec<Schema extends PayloadSchema, Name extends string = string>
  extends SettingsInput {
  /** Names the queue, function and rules: lowercase letters, digits and single hyphens. */
  readonly name: Name;
  /**
   * The payload's schema: any Standard Schema (zod, zod/mini, valibot, arktype...).
   * The handler's payload type is inferred from its output, `enqueue`'s from its input.
   */
  readonly schema: Schema;
  readonly handler: JobHandler<PayloadOutput<Schema>>;
  /**
   * When the job runs by itself: `rate(...)` or `cron(...)` in UTC (an EventBridge
   * rule), or `{ expression, timeZone, flexibleWindowMinutes, startDate, endDate,
   * payload, overlap }` (an EventBridge Scheduler schedule), or a list of them.
   */
  readonly schedule?: ScheduleInput | readonly ScheduleInput[];
  /** An EventBridge event pattern on the stack's bus: matching events become messages to the job. */
  readonly events?: EventPattern;
  /** A payload that shows how to start the job; checked against the schema, printed by `npm start`. */
  readonly example?: PayloadInput<Schema>;
}

/** A validated job: every layer (CDK, Lambda, local runtime, client) derives from this object. */
export interface JobDefinition<
  Schema extends PayloadSchema = PayloadSchema,
  Name extends string = string,
> {
  readonly name: Name;
  readonly schema: Schema;
  /** Method syntax: a list of jobs with different payloads is a list of `JobDefinition`. */
  handler(payload: PayloadOutput<Schema>, ctx: JobContext): Promise<void> | void;
  /** Its schedules, in the order written; empty when it has none. */
  readonly schedules: readonly JobSchedule[];
  readonly events: EventPattern | undefined;
  /**
   * True when an EventBridge rule or schedule can start the job (it has a
   * schedule or an event pattern): its messages may then be EventBridge events,
   * which its handler unwraps.
   */
  readonly hasRule: boolean;
  readonly example: PayloadInput<Schema> | undefined;
  readonly settings: JobSettings;
}

/**
 * What a job's Lambda handler reads of its definition. In a job's bundle,
 * `defineJob` returns just this (functions/bundled-definition.ts), with the
 * settings the plan resolved written in at bundle time.
 */
export type RunnableJob<Schema extends PayloadSchema = PayloadSchema> = Pick<
  JobDefinition<Schema>,
  'name' | 'schema' | 'handler' | 'hasRule' | 'settings'
>;

/** The payload type an application sends to a job (schema input). */
export type PayloadOf<Job> = Job extends JobDefinition<infer S, string> ? PayloadInput<S> : never;
