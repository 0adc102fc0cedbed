import type { Command } from 'commander';
import type { DeadLetter } from '../../client/index.ts';
import { utcTime } from '../../core/time-text.ts';
import { openCli } from '../context.ts';
import { examples, table, truncate } from '../format.ts';
import { positiveInteger } from '../input.ts';
import { registerPurge, registerRedrive } from './dlq-change.ts';

export function registerDeadLetters(program: Command): void {
  const dlq = program
    .command('dlq')
    .description("A job's dead letters: list, show, redrive, purge")
    .addHelpText(
      'after',
      examples([
        'bgjobs dlq list process',
        'bgjobs dlq show process 6f1c…',
        'bgjobs dlq redrive process --dry-run',
        'bgjobs dlq purge process --ids 6f1c…,9a0b…',
      ]),
    );

  dlq
    .command('list')
    .description("List a job's dead letters with why each failed")
    .argument('<job>', 'job name')
    .option('--max <n>', 'list at most n', positiveInteger, 100)
    .addHelpText(
      'after',
      examples(['bgjobs dlq list process', 'bgjobs dlq list process --max 10 --json']),
    )
    .action(async (jobName: string, flags: { max: number }, command: Command) => {
      const cli = await openCli(command);
      const letters = await cli.client().deadLetters.list(cli.job(jobName).name, flags.max);
      cli.print(letters, () =>
        letters.length === 0
          ? `no dead letters for ${jobName}`
          : table(
              ['MESSAGE ID', 'SENT', 'RECEIVES', 'ERROR', 'REASON'],
              letters.map((l) => [
                l.messageId,
                utcTime(l.sentAt),
                String(l.receiveCount),
                l.error ?? '(maxReceiveCount)',
                truncate(l.reason ?? '', 70),
              ]),
            ),
      );
    });

  dlq
    .command('show')
    .description('Show one dead letter: body, error, reason, attempts')
    .argument('<job>', 'job name')
    .argument('<message-id>', 'its id in the dead-letter queue (see dlq list)')
    .addHelpText(
      'after',
      examples([
        'bgjobs dlq show process 6f1c2d3e-…',
        'bgjobs dlq show process 6f1c2d3e-… --json | jq -r .body',
      ]),
    )
    .action(async (jobName: string, messageId: string, _flags, command: Command) => {
      const cli = await openCli(command);
      const letter = await cli.client().deadLetters.show(cli.job(jobName).name, messageId);
      if (!letter)
        throw new Error(`no dead letter ${messageId} in the dead-letter queue of ${jobName}`);
      cli.print(letter, () => describe(letter));
    });

  registerRedrive(dlq);
  registerPurge(dlq);
}

function describe(letter: DeadLetter): string {
  let body = letter.body;
  try {
    body = JSON.stringify(JSON.parse(letter.body), null, 2);
  } catch {
    // Not JSON (which may be why it failed): shown as it is.
  }
  return [
    `message id           ${letter.messageId}`,
    `original message id  ${letter.originalMessageId}`,
    `sent at              ${utcTime(letter.sentAt)}`,
    `receives             ${letter.receiveCount}`,
    `error                ${letter.error ?? '(moved by SQS after maxReceiveCount receives)'}`,
    `reason               ${letter.reason ?? '-'}`,
    `attempt              ${letter.attempt ?? '-'}`,
    `failed at            ${failedAt(letter.failedAt)}`,
    'body',
    body,
  ].join('\n');
}

/** The attribute the handler wrote (ISO 8601), in the CLI's time format; as it is if not a time. */
function failedAt(iso: string | undefined): string {
  if (iso === undefined) return '-';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : utcTime(at);
}
