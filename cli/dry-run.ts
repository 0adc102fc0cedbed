import type { SQSClient } from '@aws-sdk/client-sqs';
import { prepareMessage } from '../client/prepare-message.ts';
import type { Cli } from './context.ts';

/** An SQS client that sends nothing: it keeps each command and answers `{}`. */
export function recordingSqs(): { sqs: SQSClient; sent: { command: string; input: unknown }[] } {
  const sent: { command: string; input: unknown }[] = [];
  const sqs = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return {};
    },
  };
  return { sqs: sqs as unknown as SQSClient, sent };
}

export interface MessageOptions {
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly uniqueKey?: string;
  readonly uniqueForSeconds?: number;
}

/**
 * Checks a message exactly as enqueue does (schema, size, delay, FIFO and
 * unique options) through a client whose SQS client sends nothing, and returns
 * what enqueue would send. Throws the same errors enqueue would. A unique key
 * is checked, not reserved: the table is neither read nor written.
 */
export async function checkMessage(
  cli: Cli,
  job: string,
  payload: unknown,
  options: MessageOptions = {},
): Promise<Record<string, unknown>> {
  const { sqs, sent } = recordingSqs();
  const { uniqueKey, uniqueForSeconds, ...sendOptions } = options;
  if (uniqueKey !== undefined || uniqueForSeconds !== undefined) {
    prepareMessage(cli.job(job), payload, options);
  }
  await cli.client(sqs).enqueue(job, payload, sendOptions);
  const send = sent.find((call) => call.command === 'SendMessageCommand');
  const { QueueUrl: _unknownOffline, ...message } = (send?.input ?? {}) as Record<string, unknown>;
  return message;
}
