/**
 * Child process of the handler benchmark, started with --expose-gc. It imports
 * both bundles and times them in alternation; stdout goes to /dev/null, so log
 * lines are written, as in Lambda, but not shown. Replies with every round.
 */
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { tellParent } from '../lib/child.ts';
import { rotate } from '../lib/stats.ts';
import { lambdaContext, sqsBatches } from './records.ts';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type Arm = 'bgjobs' | 'powertools';

const [bgjobsBundle, powertoolsBundle, ...counts] = process.argv.slice(2);
const [rounds, batchesPerRound, warmUpBatches] = counts.map(Number) as [number, number, number];
const load = async (file = '') => (await import(pathToFileURL(file).href)).handler as BatchHandler;
const arms: { name: Arm; handler: BatchHandler }[] = [
  { name: 'bgjobs', handler: await load(bgjobsBundle) },
  { name: 'powertools', handler: await load(powertoolsBundle) },
];
const batches = sqsBatches(64);
const gc = globalThis.gc ?? (() => {});

async function nsPerRecord(handler: BatchHandler, count: number): Promise<number> {
  let records = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const event = batches[i % batches.length] as SQSEvent;
    const response = await handler(event, lambdaContext());
    if (response.batchItemFailures.length > 0) {
      throw new Error(`a no-op record failed: ${JSON.stringify(response.batchItemFailures)}`);
    }
    records += event.Records.length;
  }
  return Number(process.hrtime.bigint() - started) / records;
}

for (const arm of arms) await nsPerRecord(arm.handler, warmUpBatches);
const results: Record<Arm, number>[] = [];
for (let round = 0; round < rounds; round++) {
  const figures = {} as Record<Arm, number>;
  for (const arm of rotate(arms, round)) {
    gc();
    figures[arm.name] = await nsPerRecord(arm.handler, batchesPerRound);
  }
  results.push(figures);
}
await tellParent({ rounds: results });
process.exit(0);
