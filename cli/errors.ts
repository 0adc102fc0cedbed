import { CommanderError } from 'commander';
import {
  BacklogFullError,
  BgjobsError,
  EventDetailValidationError,
  InvalidEnqueueOptionsError,
  InvalidEventError,
  MessageTooLargeError,
  PayloadValidationError,
  ScheduledRunNotFoundError,
  UnknownJobError,
} from '../core/errors.ts';

/** What the exit code tells a script. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** The operation failed or partly failed: an AWS error, entries not sent, a handler that failed. */
  failed: 1,
  /** Bad input; nothing was sent or changed. Retrying the same command cannot help. */
  badInput: 2,
  /** The job's queue is over its maxBacklog; nothing was sent. Retrying later can help. */
  backlogFull: 3,
  /** Stopped with Ctrl-C. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the operation failed or partly failed (AWS error, some entries not sent, handler failed)
  2    bad input, nothing sent or changed (usage, unknown job, invalid JSON, schema, size, options, event, no such scheduled run)
  3    the job's backlog is over its maxBacklog, nothing sent (retry later)
  130  interrupted (Ctrl-C)`;

/** Input the CLI refuses before calling anything, such as a payload that is not JSON. */
export class UsageError extends BgjobsError {}

const BAD_INPUT = [
  UsageError,
  UnknownJobError,
  PayloadValidationError,
  MessageTooLargeError,
  InvalidEnqueueOptionsError,
  InvalidEventError,
  EventDetailValidationError,
  ScheduledRunNotFoundError,
];

export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  if (BAD_INPUT.some((kind) => error instanceof kind)) return EXIT.badInput;
  if (error instanceof BacklogFullError) return EXIT.backlogFull;
  return EXIT.failed;
}

/** One line that says what went wrong, with a hint for the usual AWS and local-runtime causes. */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code ?? (error.cause as { code?: string })?.code;
  if (code === 'ECONNREFUSED') {
    return `${error.message || 'connection refused'}: nothing listens there; is \`bgjobs dev\` running?`;
  }
  if (/NonExistentQueue|QueueDoesNotExist/.test(error.name)) {
    return `${error.message} (is the stack deployed in this region and account, or \`bgjobs dev\` running with --local? check --stack)`;
  }
  if (error.name === 'CredentialsProviderError') {
    return `${error.message}: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID, or use --local`;
  }
  if (error.message === 'Region is missing') {
    return 'no AWS region: pass --region, set AWS_REGION, or use --local';
  }
  if (error instanceof EventDetailValidationError) {
    return `${error.message} (bgjobs emit --no-validate sends it anyway)`;
  }
  if (error instanceof BgjobsError || error.name === 'Error') return error.message;
  return `${error.name}: ${error.message}`;
}
