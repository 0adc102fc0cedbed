/** Base class of every error bgjobs throws on purpose; `cause` keeps the original. */
export class BgjobsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Throw from a handler when retrying cannot help: the message goes to the job's
 * dead-letter queue at once, with this error's name and message as its reason.
 *
 * @example
 * if (!user) throw new PermanentError(`user ${payload.userId} does not exist`);
 */
export class PermanentError extends BgjobsError {
  /** Marks permanence across bundle copies, where `instanceof` may not hold. */
  readonly permanent = true;
}

/** True for a `PermanentError`, also one thrown from another copy of this module. */
export function isPermanentError(error: unknown): boolean {
  return (
    error instanceof PermanentError ||
    (error instanceof Error && (error as { permanent?: unknown }).permanent === true)
  );
}

/** A job definition broke one or more rules; `violations` lists every one of them. */
export class InvalidJobDefinitionError extends BgjobsError {
  readonly violations: readonly string[];

  constructor(jobName: string, violations: readonly string[]) {
    super(`Invalid job definition "${jobName}":\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.violations = violations;
  }
}

/** The app as a whole cannot be planned: a stack name, or names that collide or are too long; `problems` lists every one. */
export class InvalidAppError extends BgjobsError {
  readonly problems: readonly string[];

  constructor(stackName: string, problems: readonly string[]) {
    super(`Invalid app (stack "${stackName}"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A message body that is not JSON. Permanent: no retry can fix it. */
export class MalformedMessageError extends PermanentError {}

/** A payload that does not satisfy the job's schema. Permanent: no retry can fix it. */
export class PayloadValidationError extends PermanentError {
  readonly issues: readonly string[];

  constructor(jobName: string, issues: readonly string[]) {
    super(`payload does not match the schema of job "${jobName}": ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** A handler ran past the point where bgjobs stops it, before the function timeout. */
export class JobTimeoutError extends BgjobsError {}

/** Turns anything thrown (including non-Error values) into an Error, keeping the original as cause. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const text = typeof thrown === 'string' ? thrown : safeStringify(thrown);
  return new BgjobsError(`non-Error value thrown: ${text}`, { cause: thrown });
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The client was asked for a job that is not registered. */
export class UnknownJobError extends BgjobsError {
  constructor(name: string, known: readonly string[]) {
    super(`unknown job "${name}"; registered jobs: ${known.join(', ') || 'none'}`);
  }
}

/** A message over SQS's maximum size; nothing was sent. */
export class MessageTooLargeError extends BgjobsError {}

/** Enqueue options that the job's queue cannot take (delay out of range, FIFO options on a standard queue...). */
export class InvalidEnqueueOptionsError extends BgjobsError {}

/** The job's queue holds more than its `maxBacklog`; nothing was sent. */
export class BacklogFullError extends BgjobsError {
  readonly backlog: number;
  readonly maxBacklog: number;

  constructor(jobName: string, backlog: number, maxBacklog: number, waitedMs?: number) {
    const waited = waitedMs === undefined ? '' : ` after waiting ${waitedMs} ms`;
    super(
      `job "${jobName}" has ${backlog} messages waiting, over its maxBacklog of ${maxBacklog}${waited}; nothing was sent`,
    );
    this.backlog = backlog;
    this.maxBacklog = maxBacklog;
  }
}

/**
 * An event EventBridge would refuse: detail that is not a JSON object, a source starting with
 * "aws.", a DetailType over 128 characters, an entry over the size limit. Nothing was sent.
 */
export class InvalidEventError extends BgjobsError {
  /** EventBridge's per-entry error code for it, e.g. `MalformedDetail`. */
  readonly errorCode: string;

  constructor(detailType: string, errorCode: string, errorMessage: string) {
    super(`event "${detailType}" is refused by EventBridge (${errorCode}): ${errorMessage}`);
    this.errorCode = errorCode;
  }
}

/**
 * An event whose detail does not match the schema of a job whose rule it matches: the job would
 * dead-letter it. Nothing was sent; `validate: false` sends it anyway.
 */
export class EventDetailValidationError extends BgjobsError {
  readonly failures: readonly { readonly job: string; readonly issues: readonly string[] }[];

  constructor(
    detailType: string,
    failures: readonly { readonly job: string; readonly issues: readonly string[] }[],
  ) {
    const each = failures.map((f) => `job "${f.job}": ${f.issues.join('; ')}`).join(' | ');
    super(
      `event "${detailType}" matches the rule of ${failures.map((f) => `"${f.job}"`).join(', ')}, but its detail does not match the schema: ${each}; nothing was sent`,
    );
    this.failures = failures;
  }
}

/** A one-time run that is not pending: it ran already, was cancelled, or never existed. Nothing changed. */
export class ScheduledRunNotFoundError extends BgjobsError {
  constructor(jobName: string, id: string) {
    super(
      `job "${jobName}" has no pending one-time run "${id}": it ran already, was cancelled, or never existed (bgjobs scheduled list ${jobName} shows the pending ones)`,
    );
  }
}
