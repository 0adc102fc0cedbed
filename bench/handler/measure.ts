/**
 * Child process of the handler benchmark, started with --expose-gc. It imports
 * every bundle, then times each group of arms in alternation; stdout goes to
 * /dev/null, so log lines and EMF are written, as in Lambda, but not shown.
 * Replies with every round: wall and CPU nanoseconds per record, per arm.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { tellParent } from '../lib/child.ts';
import { rotate } from '../lib/stats.ts';
import type { MeasureSpec, RoundFigures } from './protocol.ts';
import { lambdaContext, sqsBatches } from './records.ts';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const spec = JSON.parse(process.argv[2] ?? '{}') as MeasureSpec;
const handlers = new Map<string, BatchHandler>();
for (const arm of spec.arms) {
  // A job bundle picks its job by BGJOBS_JOB_NAME when it is imported.
  process.env.BGJOBS_JOB_NAME = arm.jobName;
  const bundle = (await import(`${arm.bundleUrl}?arm=${arm.name}`)) as { handler: BatchHandler };
  handlers.set(arm.name, bundle.handler);
}
const batches = sqsBatches(64);
const gc = globalThis.gc ?? (() => {});

async function perRecord(handler: BatchHandler, count: number) {
  let records = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const event = batches[i % batches.length] as SQSEvent;
    const response = await handler(event, lambdaContext());
    if (response.batchItemFailures.length > 0) {
      throw new Error(`a record failed: ${JSON.stringify(response.batchItemFailures)}`);
    }
    records += event.Records.length;
  }
  const wallNs = Number(process.hrtime.bigint() - started);
  const { user, system } = process.cpuUsage(cpu);
  return { wallNs: wallNs / records, cpuNs: ((user + system) * 1000) / records };
}

const groups: Record<string, RoundFigures[]> = {};
for (const group of spec.groups) {
  for (const arm of group.arms)
    await perRecord(handlers.get(arm) as BatchHandler, group.warmUpBatches);
  const rounds: RoundFigures[] = [];
  for (let round = 0; round < group.rounds; round++) {
    const figures: RoundFigures = {};
    for (const arm of rotate(group.arms, round)) {
      gc();
      figures[arm] = await perRecord(
        handlers.get(arm) as BatchHandler,
        group.batchesPerRound[arm] ?? 1,
      );
    }
    rounds.push(figures);
  }
  groups[group.name] = rounds;
}
await tellParent({ groups });
process.exit(0);
