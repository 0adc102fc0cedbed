import {
  InvalidEnqueueOptionsError,
  MessageTooLargeError,
  PayloadValidationError,
} from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import { SQS_MAX_MESSAGE_BYTES } from '../core/limits.ts';
import { onDemandBody } from '../core/messages.ts';
import { checkPayloadNow } from '../core/payload-schema.ts';

const MAX_DELAY_SECONDS = 900;

export interface EnqueueOptions {
  /** Seconds before the message can be received: 0 to 900. Standard queues only. */
  readonly delaySeconds?: number;
  /** FIFO only. @default - the payload's `fifo.groupIdField`, else the job's `fifo.defaultGroupId` */
  readonly groupId?: string;
  /** FIFO only. Needed when the job turns content-based deduplication off. */
  readonly deduplicationId?: string;
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
  const { delaySeconds, groupId, deduplicationId } = options;
  if (delaySeconds !== undefined) {
    if (fifo)
      problems.push(
        'delaySeconds is not allowed on a FIFO queue (SQS takes only a queue-level delay there)',
      );
    else if (
      !Number.isInteger(delaySeconds) ||
      delaySeconds < 0 ||
      delaySeconds > MAX_DELAY_SECONDS
    ) {
      problems.push(
        `delaySeconds is ${delaySeconds}; allowed: an integer from 0 to ${MAX_DELAY_SECONDS}`,
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

function groupFromPayload(payload: unknown, field: string | undefined): string | undefined {
  if (!field || typeof payload !== 'object' || payload === null) return undefined;
  const value = (payload as Record<string, unknown>)[field];
  return value === undefined || value === null ? undefined : String(value);
}

/** Bytes a prepared message counts toward a batch's size limit. */
export function messageBytes(message: PreparedMessage): number {
  return Buffer.byteLength(message.MessageBody);
}
