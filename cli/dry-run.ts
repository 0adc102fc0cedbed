import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
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
export function recordingScheduler(): { scheduler: SchedulerClient; sent: Sent } {
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
}

/** What enqueue would do: the SendMessage it would make, or the one-time schedule it would create. */
export type CheckedMessage =
  | { readonly action: 'send'; readonly message: Record<string, unknown> }
  | { readonly action: 'schedule'; readonly schedule: Record<string, unknown> };

/**
 * Checks a message exactly as enqueue does (schema, size, delay, run time, FIFO options)
 * through SDK clients that send nothing, and returns what enqueue would send or schedule.
 * Throws the same errors enqueue would.
 */
export async function checkMessage(
  cli: Cli,
  job: string,
  payload: unknown,
  options: MessageOptions = {},
): Promise<CheckedMessage> {
  const { sqs, sent } = recordingSqs();
  const { scheduler, sent: scheduled } = recordingScheduler();
  await cli.client({ sqs, scheduler }).enqueue(job, payload, options);
  const schedule = scheduled.find((call) => call.command === 'CreateScheduleCommand');
  if (schedule) return { action: 'schedule', schedule: schedule.input as Record<string, unknown> };
  const send = sent.find((call) => call.command === 'SendMessageCommand');
  const { QueueUrl: _unknownOffline, ...message } = (send?.input ?? {}) as Record<string, unknown>;
  return { action: 'send', message };
}
