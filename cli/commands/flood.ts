import type { Command } from 'commander';
import { openCli } from '../context.ts';
import { checkMessage } from '../dry-run.ts';
import { EXIT } from '../errors.ts';
import { floodCounter } from '../flood-count.ts';
import { publish } from '../flood-publish.ts';
import { floodSummary, floodView, summaryText } from '../flood-view.ts';
import { watchUntilDrained } from '../flood-watch.ts';
import { examples } from '../format.ts';
import { positiveNumber, readJson } from '../input.ts';

interface FloodFlags {
  readonly rate: number;
  readonly duration: number;
  readonly payload: string;
  readonly drainTimeout: number;
  readonly dryRun?: boolean;
}

export function registerFlood(program: Command): void {
  program
    .command('flood')
    .summary('Enqueue at a rate for a while and watch the backlog drain')
    .description(
      'The flood experiment: enqueue at a rate for a while, and watch the backlog rise and drain at the job’s maxConcurrency',
    )
    .argument('<job>', 'job name')
    .requiredOption('--rate <n>', 'messages per second', positiveNumber)
    .requiredOption('--duration <seconds>', 'how long to publish', positiveNumber)
    .option('--payload <json>', 'the payload of every message', '{}')
    .option(
      '--drain-timeout <seconds>',
      'how long to wait for the backlog to drain',
      positiveNumber,
      300,
    )
    .option('--dry-run', 'check the payload and show the plan; send nothing')
    .addHelpText(
      'after',
      examples(
        [
          'bgjobs --local flood process --rate 200 --duration 10 --payload \'{"waitMs":50}\'',
          'bgjobs --local flood process --rate 50 --duration 2 --json',
        ],
        "\nOnly the flood's own messages are counted: by message id against the local runtime; on AWS from\nthe queue counts, less the messages queued before the flood. processed = sent - still queued -\ndead-lettered. Exit 1 when some messages were not sent or the backlog did not drain in time.\n",
      ),
    )
    .action(async (jobName: string, flags: FloodFlags, command: Command) => {
      const cli = await openCli(command);
      const job = cli.job(jobName).name;
      const payload = await readJson(flags.payload, 'payload');
      const client = cli.client();
      const requested = Math.max(1, Math.round(flags.rate * flags.duration));
      if (flags.dryRun) {
        const checked = await checkMessage(cli, job, payload);
        const message = checked.action === 'send' ? checked.message : checked.schedule;
        const plan = {
          job,
          dryRun: true,
          requested,
          ratePerSecond: flags.rate,
          durationSeconds: flags.duration,
          message,
        };
        cli.print(
          plan,
          () =>
            `would send ${requested} messages to ${job} at ${flags.rate}/s for ${flags.duration} s: ${JSON.stringify(message)} (dry run: nothing sent)`,
        );
        return;
      }
      const before = await client.counts(job);
      const memoryAtStart = await client.localMemory();
      const counter = await floodCounter(client, job, before);
      const waiting = before.visible + before.inFlight + before.delayed;
      if (waiting > 0 && counter.countedBy === 'queue counts')
        cli.note(
          `note: ${job} already has ${waiting} messages queued; SQS cannot tell them from the flood's, so they are counted out while that many remain`,
        );
      const publishing = await publish(client, job, payload, flags.rate, requested);
      const view = floodView(requested, cli.options.json);
      let interrupted = false;
      const onInterrupt = () => {
        interrupted = true;
        publishing.stop();
      };
      process.once('SIGINT', onInterrupt);
      const watched = await watchUntilDrained(counter, publishing, view, {
        drainTimeoutMs: flags.drainTimeout * 1000,
        interrupted: () => interrupted,
        memory: { read: () => client.localMemory(), atStart: memoryAtStart },
      });
      process.off('SIGINT', onInterrupt);
      await publishing.finished;
      view.stop();
      const plan = { job, ratePerSecond: flags.rate, durationSeconds: flags.duration, requested };
      const lastSendMs = publishing.lastSendAt() - publishing.startedAt;
      const summary = floodSummary(
        plan,
        watched,
        lastSendMs,
        publishing.errors(),
        counter.countedBy,
      );
      cli.print(summary, () => summaryText(job, summary));
      for (const error of summary.errors) cli.note(`not sent: ${error}`);
      if (interrupted) {
        cli.note(`interrupted: sent ${summary.sent} of ${requested}; the rest were not sent`);
        process.exitCode = EXIT.interrupted;
      } else if (!summary.drained || summary.sendFailed > 0) process.exitCode = EXIT.failed;
    });
}
