/**
 * Child process of the idempotency benchmark: imports the noop job's bundle
 * and the idempotent noop job's bundle (each with its own environment), then
 * times them in alternation on batches of 10 fresh records (fresh message ids:
 * every idempotent record takes the first-time path, lock then complete).
 * Replies with every round: wall time and this process's CPU time (user and
 * system) per record; the table runs in another process, so its work is in
 * the wall time only.
 */
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, sqsBatches } from '../handler/records.ts';
import { tellParent } from '../lib/child.ts';
import { rotate } from '../lib/stats.ts';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type Arm = 'plain' | 'idempotent';
type Cost = { wallNs: number; cpuNs: number };

const [plainBundle, onceBundle, tableName, ...counts] = process.argv.slice(2);
const [rounds, batchesPerRound, warmUpBatches] = counts.map(Number) as [number, number, number];

// job-entry.ts picks its job and createHandler its table from the environment at import.
async function load(file: string, env: Record<string, string>): Promise<BatchHandler> {
  Object.assign(process.env, env);
  return (await import(pathToFileURL(file).href)).handler as BatchHandler;
}
const arms: { name: Arm; handler: BatchHandler }[] = [
  { name: 'plain', handler: await load(plainBundle ?? '', { BGJOBS_JOB_NAME: 'noop' }) },
  {
    name: 'idempotent',
    handler: await load(onceBundle ?? '', {
      BGJOBS_JOB_NAME: 'noop-once',
      BGJOBS_IDEMPOTENCY_TABLE: tableName ?? '',
      BGJOBS_IDEMPOTENCY_KEY_PREFIX: 'bench--noop-once',
    }),
  },
];
const gc = globalThis.gc ?? (() => {});

async function costPerRecord(handler: BatchHandler, count: number): Promise<Cost> {
  // Built before the clock starts: the records are not what is measured.
  const batches = sqsBatches(count);
  let records = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const event of batches) {
    const response = await handler(event, lambdaContext());
    if (response.batchItemFailures.length > 0) {
      throw new Error(`a no-op record failed: ${JSON.stringify(response.batchItemFailures)}`);
    }
    records += event.Records.length;
  }
  const wallNs = Number(process.hrtime.bigint() - started) / records;
  const used = process.cpuUsage(cpu);
  return { wallNs, cpuNs: ((used.user + used.system) * 1000) / records };
}

for (const arm of arms) await costPerRecord(arm.handler, warmUpBatches);
const results: Record<Arm, Cost>[] = [];
for (let round = 0; round < rounds; round++) {
  const figures = {} as Record<Arm, Cost>;
  for (const arm of rotate(arms, round)) {
    gc();
    figures[arm.name] = await costPerRecord(arm.handler, batchesPerRound);
  }
  results.push(figures);
}
await tellParent({ rounds: results });
process.exit(0);
