import * as z from 'zod';
import { SQS_MAX_VISIBILITY_SECONDS, VISIBILITY_TIMEOUT_FACTOR } from './limits.ts';

/** An integer setting whose every failure message states the allowed range. */
function integer(min: number, max: number) {
  const error = `an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * The one schema of a job's settings: defaults, validation and the README's
 * "Default settings" table all come from here (descriptions via `.describe`).
 */
export const settingsSchema = z.strictObject({
  timeoutSeconds: integer(1, 900)
    .default(30)
    .describe('Function timeout. The handler’s AbortSignal fires shortly before it.'),
  memoryMB: integer(128, 10_240).default(256).describe('Lambda memory size.'),
  batchSize: integer(1, 10_000)
    .default(10)
    .describe(
      'Most records per invocation. Over 10 needs a batching window of at least 1 s; at most 10 on FIFO.',
    ),
  maxBatchingWindowSeconds: integer(0, 300)
    .default(0)
    .describe('How long the event source mapping gathers records before invoking. None on FIFO.'),
  maxConcurrency: integer(2, 1000)
    .default(5)
    .describe(
      'Most batches in flight at once (event source mapping `MaximumConcurrency`): the back-pressure knob.',
    ),
  recordConcurrency: integer(1, 1000)
    .default(1)
    .describe(
      'Records of one batch handled at once. FIFO: message groups run side by side, each in order.',
    ),
  maxReceiveCount: integer(1, 1000)
    .default(5)
    .describe('Receives before SQS moves a message to the dead-letter queue.'),
  backoff: z
    .strictObject({
      baseSeconds: integer(0, SQS_MAX_VISIBILITY_SECONDS).default(10),
      capSeconds: integer(1, SQS_MAX_VISIBILITY_SECONDS).default(900),
      jitter: z
        .enum(['full', 'equal', 'none'], { error: 'one of "full", "equal", "none"' })
        .default('full'),
    })
    .prefault({})
    .describe(
      'Retry delay after attempt n: `min(cap, base x 2^(n-1))`, with jitter; set as the failed message’s visibility.',
    ),
  fifo: z
    .union(
      [
        z.boolean(),
        z.strictObject({
          groupIdField: z
            .string({ error: 'a payload field name' })
            .min(1, { error: 'a payload field name' })
            .optional(),
          defaultGroupId: z
            .string({ error: 'a string of 1 to 128 characters' })
            .min(1, { error: 'a string of 1 to 128 characters' })
            .max(128, { error: 'a string of 1 to 128 characters' })
            .default('default'),
          contentBasedDeduplication: z.boolean({ error: 'true or false' }).default(true),
        }),
      ],
      { error: 'true, false or { groupIdField?, defaultGroupId?, contentBasedDeduplication? }' },
    )
    .default(false)
    .describe(
      'A FIFO queue. The group id is the enqueue option, else the payload field `groupIdField`, else `defaultGroupId` (also used by rules).',
    ),
  retentionDays: integer(1, 13)
    .default(4)
    .describe(
      'How long the queue keeps a message. The dead-letter queue keeps 14 days, so a dead letter always has a day at least.',
    ),
  maxAgeSeconds: integer(60, 1_209_600)
    .default(900)
    .describe(
      'Backlog objective: the alarm fires when the oldest message waits longer (`ApproximateAgeOfOldestMessage`).',
    ),
  maxBacklog: integer(1, 100_000_000)
    .optional()
    .describe(
      'Producer back-pressure: `enqueue` waits or refuses while the queue holds more visible messages. None by default.',
    ),
  visibilityTimeoutSeconds: integer(0, SQS_MAX_VISIBILITY_SECONDS)
    .optional()
    .describe(
      `Derived: ${VISIBILITY_TIMEOUT_FACTOR} x timeoutSeconds + maxBatchingWindowSeconds, as AWS advises. An override may only raise it.`,
    ),
});

export type SettingsInput = z.input<typeof settingsSchema>;
type ParsedSettings = z.output<typeof settingsSchema>;

export interface FifoSettings {
  readonly groupIdField: string | undefined;
  readonly defaultGroupId: string;
  readonly contentBasedDeduplication: boolean;
}

/** Settings after defaults and derivation: what every layer reads. */
export interface JobSettings
  extends Readonly<Omit<ParsedSettings, 'fifo' | 'visibilityTimeoutSeconds' | 'backoff'>> {
  readonly backoff: Readonly<ParsedSettings['backoff']>;
  /** Undefined for a standard queue. */
  readonly fifo: FifoSettings | undefined;
  readonly visibilityTimeoutSeconds: number;
}

export const SETTING_NAMES = Object.keys(settingsSchema.shape) as (keyof SettingsInput)[];

/** Resolves parsed settings: derives the visibility timeout and normalises `fifo`. */
export function resolveSettings(parsed: ParsedSettings): JobSettings {
  const fifo: FifoSettings | undefined =
    parsed.fifo === false
      ? undefined
      : parsed.fifo === true
        ? { groupIdField: undefined, defaultGroupId: 'default', contentBasedDeduplication: true }
        : { ...parsed.fifo, groupIdField: parsed.fifo.groupIdField };
  const derivedVisibility = minimumVisibilitySeconds(parsed);
  return {
    ...parsed,
    fifo,
    visibilityTimeoutSeconds: parsed.visibilityTimeoutSeconds ?? derivedVisibility,
  };
}

/**
 * AWS's advice for a queue that feeds Lambda: six times the function timeout
 * plus the batching window, or records reappear while the poller still holds
 * them (a batch can wait the whole window before the function even starts).
 */
export function minimumVisibilitySeconds(
  settings: Pick<JobSettings, 'timeoutSeconds' | 'maxBatchingWindowSeconds'>,
): number {
  return VISIBILITY_TIMEOUT_FACTOR * settings.timeoutSeconds + settings.maxBatchingWindowSeconds;
}

/** Rules that tie settings together; each message names the setting, its value and what is allowed. */
export function crossSettingViolations(settings: JobSettings): string[] {
  const violations: string[] = [];
  const { batchSize, maxBatchingWindowSeconds: window, fifo, backoff } = settings;
  if (fifo && batchSize > 10) {
    violations.push(`batchSize is ${batchSize}; allowed: at most 10 on a FIFO queue`);
  }
  if (fifo && window > 0) {
    violations.push(
      `maxBatchingWindowSeconds is ${window}; allowed: 0 on a FIFO queue (Lambda has no batching window for FIFO)`,
    );
  }
  if (!fifo && batchSize > 10 && window < 1) {
    violations.push(
      `maxBatchingWindowSeconds is ${window}; allowed: at least 1 when batchSize (${batchSize}) is over 10`,
    );
  }
  const minimumVisibility = minimumVisibilitySeconds(settings);
  if (settings.visibilityTimeoutSeconds < minimumVisibility) {
    violations.push(
      `visibilityTimeoutSeconds is ${settings.visibilityTimeoutSeconds}; allowed: at least ${minimumVisibility} (${VISIBILITY_TIMEOUT_FACTOR} x timeoutSeconds ${settings.timeoutSeconds} + maxBatchingWindowSeconds ${window}); an override may only raise it`,
    );
  }
  const longestDelay = SQS_MAX_VISIBILITY_SECONDS - settings.timeoutSeconds;
  if (backoff.capSeconds > longestDelay) {
    violations.push(
      `backoff.capSeconds is ${backoff.capSeconds}; allowed: at most ${longestDelay} (SQS keeps a message invisible at most 12 h from its receive, and the attempt may have used timeoutSeconds of it)`,
    );
  }
  if (backoff.baseSeconds > backoff.capSeconds) {
    violations.push(
      `backoff.baseSeconds is ${backoff.baseSeconds}; allowed: at most backoff.capSeconds (${backoff.capSeconds})`,
    );
  }
  return violations;
}
