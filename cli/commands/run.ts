import type { Command } from 'commander';
import { PayloadValidationError } from '../../core/errors.ts';
import type { RecordOutcome } from '../../core/index.ts';
import { checkPayloadNow } from '../../core/payload-schema.ts';
import { openCli } from '../context.ts';
import { recordingSqs } from '../dry-run.ts';
import { EXIT } from '../errors.ts';
import { examples } from '../format.ts';
import { readJson } from '../input.ts';
import { lambdaContext, messageBody, queueUrls, sqsRecord } from '../run-event.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .summary("Run a job's handler once, here, and say what became of the message")
    .description(
      "Run a job's handler once, here, on one SQS record (attempt 1), and say what would become of the message; nothing is sent anywhere",
    )
    .argument('<job>', 'job name')
    .argument('[payload]', 'JSON payload, or - to read it from stdin', '{}')
    .addHelpText(
      'after',
      examples(
        [
          'bgjobs run process \'{"samples":1000}\'',
          'bgjobs run process \'{"fail":"transient"}\'   # retry, and the delay it would set',
          'bgjobs run report \'{"reportId":"r-1","period":"day"}\'',
        ],
        "\nThe job's log lines go to stderr; the outcome to stdout. Exit 0 when it succeeded, 1 otherwise.\n",
      ),
    )
    .action(async (jobName: string, payloadArg: string, _flags, command: Command) => {
      const cli = await openCli(command);
      const job = cli.job(jobName);
      const payload = await readJson(payloadArg, 'payload');
      const checked = checkPayloadNow(job.schema, payload);
      if (!checked.ok) throw new PayloadValidationError(job.name, checked.issues);
      const now = new Date();
      const urls = queueUrls(cli.plan.job(job.name));
      const { sqs, sent } = recordingSqs();
      const outcomes: RecordOutcome[] = [];
      // EMF metrics go to CloudWatch on AWS; here they would only clutter the output.
      process.env.POWERTOOLS_METRICS_DISABLED = 'true';
      // Loaded here: Powertools and middy are needed by this command only.
      const { createHandler } = await import('../../functions/create-handler.ts');
      const handler = createHandler(job, {
        sqs,
        queueUrl: urls.queueUrl,
        deadLetterQueueUrl: urls.deadLetterQueueUrl,
        logOutcomes: false,
        onOutcome: (_record, outcome) => outcomes.push(outcome),
      });
      const record = sqsRecord(job, messageBody(job, payload, now), urls.arn, now);
      const context = lambdaContext(urls.functionName, job);
      const response = await toStderr(() => handler({ Records: [record] }, context));
      const outcome = outcomes[0];
      if (!outcome) throw new Error(`the handler of ${job.name} reported no outcome`);
      cli.print({ job: job.name, outcome, response, sqsCalls: sent }, () =>
        describe(outcome, job.settings.maxReceiveCount),
      );
      process.exitCode = outcome.status === 'succeeded' ? EXIT.ok : EXIT.failed;
    });
}

function describe(outcome: RecordOutcome, maxReceiveCount: number): string {
  switch (outcome.status) {
    case 'succeeded':
      return `succeeded in ${outcome.durationMs} ms`;
    case 'retry':
      return `retry: ${outcome.reason}\n  the message would come back in ${outcome.delaySeconds} s (attempt 1 of ${maxReceiveCount})`;
    case 'dead-lettered':
      return `would be dead-lettered: ${outcome.errorName}: ${outcome.reason}`;
    case 'not-started':
      return `not started (${outcome.reason}); the message would come back at once`;
  }
}

/** While the handler runs, whatever it prints (logger, console) goes to stderr: stdout is the outcome. */
async function toStderr<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}
