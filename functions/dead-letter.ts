import type {
  MessageAttributeValue,
  SendMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

import { DEAD_LETTER_ATTRIBUTES } from '../core/dead-letter-attributes.ts';

const SQS_MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_REASON_LENGTH = 1024;

/**
 * Builds the SendMessage input that moves a permanently failed record to the
 * dead-letter queue: the original body, the reason attributes, and as many of
 * the original attributes as still fit SQS's limit of ten.
 */
export function deadLetterMessage(
  deadLetterQueueUrl: string,
  record: SQSRecord,
  failure: { jobName: string; error: Error; attempt: number; failedAt: Date },
): SendMessageCommandInput {
  const ours: Record<string, MessageAttributeValue> = {
    [DEAD_LETTER_ATTRIBUTES.error]: text(failure.error.name),
    [DEAD_LETTER_ATTRIBUTES.reason]: text(
      failure.error.message.slice(0, MAX_REASON_LENGTH) || '(no message)',
    ),
    [DEAD_LETTER_ATTRIBUTES.job]: text(failure.jobName),
    [DEAD_LETTER_ATTRIBUTES.attempt]: { DataType: 'Number', StringValue: String(failure.attempt) },
    [DEAD_LETTER_ATTRIBUTES.messageId]: text(record.messageId),
    [DEAD_LETTER_ATTRIBUTES.failedAt]: text(failure.failedAt.toISOString()),
  };
  const room = SQS_MAX_MESSAGE_ATTRIBUTES - Object.keys(ours).length;
  const original = Object.entries(record.messageAttributes ?? {})
    .filter(([name]) => !name.startsWith('bgjobs.'))
    .slice(0, room)
    .map(([name, value]) => [name, toSdkAttribute(value)] as const);
  const groupId = record.attributes.MessageGroupId;
  return {
    QueueUrl: deadLetterQueueUrl,
    MessageBody: record.body,
    MessageAttributes: { ...Object.fromEntries(original), ...ours },
    // A FIFO dead-letter queue needs a group; the message id deduplicates a repeated send.
    ...(groupId ? { MessageGroupId: groupId, MessageDeduplicationId: record.messageId } : {}),
  };
}

/** Sends the dead letter; the SDK is loaded on the first one (a batch that succeeds needs none). */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  input: SendMessageCommandInput,
  abortSignal?: AbortSignal,
): Promise<void> {
  const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
  await sqs.send(new SendMessageCommand(input), { abortSignal });
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

function toSdkAttribute(value: SQSRecord['messageAttributes'][string]): MessageAttributeValue {
  return {
    DataType: value.dataType,
    ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
    ...(value.binaryValue !== undefined
      ? { BinaryValue: Buffer.from(value.binaryValue, 'base64') }
      : {}),
  };
}
