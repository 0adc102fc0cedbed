import {
  InvalidEnqueueOptionsError,
  MessageTooLargeError,
  PayloadValidationError,
} from '../core/errors.ts';
import { MAX_IDEMPOTENCY_TTL_SECONDS } from '../core/idempotency.ts';
import type { JobDefinition } from '../core/job.ts';
import { SQS_MAX_DELAY_SECONDS, SQS_MAX_MESSAGE_BYTES } from '../core/limits.ts';
import { onDemandBody } from '../core/messages.ts';
import { checkPayloadNow } from '../core/payload-schema.ts';

const MAX_UNIQUE_KEY_LENGTH = 512;

export interface EnqueueOptions {
  /** Seconds before the message can be received: 0 to 900. Standard queues only. */
  readonly delaySeconds?: number;
  /** FIFO only. @default - the payload's `fifo.groupIdField`, else the job's `fifo.defaultGroupId` */
  readonly groupId?: string;
  /** FIFO only. Needed when the job turns content-based deduplication off. */
  readonly deduplicationId?: string;
  /**
   * One message per key within `uniqueForSeconds`: a second enqueue with the
   * key returns the first one's message id (`duplicate: true`) and sends
   * nothing. Only for a job with `uniqueEnqueues: true`; not in `enqueueMany`.
   */
  readonly uniqueKey?: string;
  /** How long a `uniqueKey` holds, from its first enqueue: 1 s to a year. */
  readonly uniqueForSeconds?: number;
}

/** The parts of a SendMessage (or SendMessageBatch entry) that a job's message needs. */
export interface PreparedMessage {
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

/**
 * Checks a payload and its options against the job before anything is sent:
 * the schema, SQS's maximum size, the delay range, and FIFO options. Throws an
 * error that names what was wrong; a message that passes is valid for SQS.
 */
export function prepareMessage(
  job: JobDefinition,
  payload: unknown,
  options: EnqueueOptions = {},
): PreparedMessage {
  const checked = checkPayloadNow(job.schema, payload);
  if (!checked.ok) throw new PayloadValidationError(job.name, checked.issues);
  const body = onDemandBody(payload);
  const bytes = Buffer.byteLength(body);
  if (bytes > SQS_MAX_MESSAGE_BYTES) {
    throw new MessageTooLargeError(
      `job "${job.name}": the message is ${bytes} bytes; SQS takes at most ${SQS_MAX_MESSAGE_BYTES}. Store the data elsewhere and send a reference.`,
    );
  }
  const fifo = job.settings.fifo;
  const problems: string[] = [];
  const { delaySeconds, groupId, deduplicationId, uniqueKey, uniqueForSeconds } = options;
  problems.push(...uniqueProblems(job, uniqueKey, uniqueForSeconds));
  if (delaySeconds !== undefined) {
    if (fifo)
      problems.push(
        'delaySeconds is not allowed on a FIFO queue (SQS takes only a queue-level delay there)',
      );
    else if (
      !Number.isInteger(delaySeconds) ||
      delaySeconds < 0 ||
      delaySeconds > SQS_MAX_DELAY_SECONDS
    ) {
      problems.push(
        `delaySeconds is ${delaySeconds}; allowed: an integer from 0 to ${SQS_MAX_DELAY_SECONDS}`,
      );
    }
  }
  if (!fifo && groupId !== undefined)
    problems.push('groupId is only for FIFO jobs; this job has a standard queue');
  if (!fifo && deduplicationId !== undefined) {
    problems.push('deduplicationId is only for FIFO jobs; this job has a standard queue');
  }
  if (fifo && !fifo.contentBasedDeduplication && deduplicationId === undefined) {
    problems.push('deduplicationId is required: this FIFO job has content-based deduplication off');
  }
  if (problems.length > 0) {
    throw new InvalidEnqueueOptionsError(`job "${job.name}": ${problems.join('; ')}`);
  }
  if (!fifo) return { MessageBody: body, ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}) };
  return {
    MessageBody: body,
    MessageGroupId: groupId ?? groupFromPayload(payload, fifo.groupIdField) ?? fifo.defaultGroupId,
    ...(deduplicationId ? { MessageDeduplicationId: deduplicationId } : {}),
  };
}

function uniqueProblems(
  job: JobDefinition,
  uniqueKey: string | undefined,
  uniqueForSeconds: number | undefined,
): string[] {
  if (uniqueKey === undefined && uniqueForSeconds === undefined) return [];
  const problems: string[] = [];
  if (!job.settings.uniqueEnqueues) {
    problems.push(
      'uniqueKey is only for a job defined with uniqueEnqueues: true (its stack then has the idempotency table)',
    );
  }
  if (
    typeof uniqueKey !== 'string' ||
    uniqueKey.length === 0 ||
    uniqueKey.length > MAX_UNIQUE_KEY_LENGTH
  ) {
    problems.push(
      `uniqueKey is ${JSON.stringify(uniqueKey)}; allowed: a string of 1 to ${MAX_UNIQUE_KEY_LENGTH} characters, given with uniqueForSeconds`,
    );
  }
  if (
    uniqueForSeconds === undefined ||
    !Number.isInteger(uniqueForSeconds) ||
    uniqueForSeconds < 1 ||
    uniqueForSeconds > MAX_IDEMPOTENCY_TTL_SECONDS
  ) {
    problems.push(
      `uniqueForSeconds is ${uniqueForSeconds}; allowed: an integer from 1 to ${MAX_IDEMPOTENCY_TTL_SECONDS} (a year), given with uniqueKey`,
    );
  }
  return problems;
}

function groupFromPayload(payload: unknown, field: string | undefined): string | undefined {
  if (!field || typeof payload !== 'object' || payload === null) return undefined;
  const value = (payload as Record<string, unknown>)[field];
  return value === undefined || value === null ? undefined : String(value);
}

/** Bytes a prepared message counts toward a batch's size limit. */
export function messageBytes(message: PreparedMessage): number {
  return Buffer.byteLength(message.MessageBody);
}
