import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { uniqueLaterRunError } from '../client/enqueue.ts';
import { prepareMessage } from '../client/prepare-message.ts';
import type { Cli } from './context.ts';

type Sent = { command: string; input: unknown }[];

/**
 * An SQS client that sends nothing: it keeps each command and answers `{}`, except
 * GetQueueUrl, answered with a URL whose account is a placeholder (`<account>`).
 */
export function recordingSqs(): { sqs: SQSClient; sent: Sent } {
  const sent: Sent = [];
  const sqs = {
    config: { region: async () => process.env.AWS_REGION ?? '<region>' },
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      if (command.constructor.name === 'GetQueueUrlCommand') {
        const { QueueName } = command.input as { QueueName: string };
        return { QueueUrl: `https://sqs.amazonaws.com/<account>/${QueueName}` };
      }
      return {};
    },
  };
  return { sqs: sqs as unknown as SQSClient, sent };
}

/** A Scheduler client that sends nothing: it keeps each command and answers `{}`. */
function recordingScheduler(): { scheduler: SchedulerClient; sent: Sent } {
  const sent: Sent = [];
  const scheduler = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return {};
    },
  };
  return { scheduler: scheduler as unknown as SchedulerClient, sent };
}

export interface MessageOptions {
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly runAt?: Date;
  readonly delay?: number | string;
  readonly uniqueKey?: string;
  readonly uniqueForSeconds?: number;
}

/** What enqueue would do: the SendMessage it would make, or the one-time schedule it would create. */
export type CheckedMessage =
  | { readonly action: 'send'; readonly message: Record<string, unknown> }
  | { readonly action: 'schedule'; readonly schedule: Record<string, unknown> };

/**
 * Checks a message exactly as enqueue does (schema, size, delay, run time, FIFO and
 * unique options) through SDK clients that send nothing, and returns what enqueue
 * would send or schedule. Throws the same errors enqueue would. A unique key is
 * checked, not reserved: the table is neither read nor written.
 */
export async function checkMessage(
  cli: Cli,
  job: string,
  payload: unknown,
  options: MessageOptions = {},
): Promise<CheckedMessage> {
  const { sqs, sent } = recordingSqs();
  const { scheduler, sent: scheduled } = recordingScheduler();
  const { uniqueKey, uniqueForSeconds, ...sendOptions } = options;
  if (uniqueKey !== undefined || uniqueForSeconds !== undefined) {
    prepareMessage(cli.job(job), payload, options);
  }
  await cli.client({ sqs, scheduler }).enqueue(job, payload, sendOptions);
  const schedule = scheduled.find((call) => call.command === 'CreateScheduleCommand');
  if (schedule && uniqueKey !== undefined) throw uniqueLaterRunError(job);
  if (schedule) return { action: 'schedule', schedule: schedule.input as Record<string, unknown> };
  const send = sent.find((call) => call.command === 'SendMessageCommand');
  const { QueueUrl: _unknownOffline, ...message } = (send?.input ?? {}) as Record<string, unknown>;
  return { action: 'send', message };
}
