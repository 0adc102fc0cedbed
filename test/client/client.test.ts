import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import {
  BacklogFullError,
  InvalidEnqueueOptionsError,
  MessageTooLargeError,
  PayloadValidationError,
  UnknownJobError,
} from '../../core/errors.ts';
import { SQS_MAX_MESSAGE_BYTES } from '../../core/limits.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime, waitFor } from '../e2e/harness.ts';
import { cappedJob } from '../local/fixtures/jobs/capped.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { listenerJob } from '../local/fixtures/jobs/listener.ts';
import { pickyJob } from '../local/fixtures/jobs/picky.ts';

const jobs = [echoJob, cappedJob, pickyJob, listenerJob] as const;
let t: TestRuntime;
let refuseFlag: string;
let client: ReturnType<typeof createClient<typeof jobs>>;
const succeededBodies: string[] = [];

/** An SQS client whose SendMessageBatch drops the entries `fail` picks, answering as SQS does for a server-side failure. */
function flakySqs(endpoint: string, fail: (id: string, call: number) => boolean) {
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  let calls = 0;
  const dropped: string[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendMessageBatchCommand') return next(args);
      calls += 1;
      const input = args.input as { Entries: { Id: string; MessageBody: string }[] };
      const failing = input.Entries.filter((e) => fail(e.Id, calls)).map((e) => e.Id);
      dropped.push(...failing);
      const result = await next({
        ...args,
        input: {
          ...input,
          Entries: input.Entries.filter((e) => !failing.includes(e.Id)),
        } as typeof args.input,
      });
      const output = result.output as { Failed?: unknown[] };
      output.Failed = [
        ...(output.Failed ?? []),
        ...failing.map((Id) => ({
          Id,
          SenderFault: false,
          Code: 'InternalError',
          Message: 'injected',
        })),
      ];
      return result;
    },
    { step: 'initialize', name: 'injectFailures' },
  );
  return { sqs, dropped, calls: () => calls };
}

async function visible(queueUrl: string): Promise<number> {
  const { Attributes } = await t.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
}

function clientFor(sqs?: SQSClient) {
  return createClient({
    jobs,
    sqs: sqs ?? t.sqs,
    eventBridge: new EventBridgeClient({
      endpoint: t.runtime.eventsEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
    lambda: new LambdaClient({
      endpoint: t.runtime.lambdaEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
    scheduler: new SchedulerClient({
      endpoint: t.runtime.schedulerEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
    eventSource: 'test.source',
  });
}

beforeAll(async () => {
  refuseFlag = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-client-')), 'refuse');
  t = await startTestRuntime(jobs);
  t.runtime.events.on('outcome', (o) => {
    if (o.outcome.status === 'succeeded') succeededBodies.push(`${o.job}:${o.messageId}`);
  });
  client = clientFor();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('enqueue', () => {
  it('sends a valid payload and the job processes it', async () => {
    const { messageId } = await client.enqueue('echo', { n: 1 });
    await waitFor('processing', () =>
      succeededBodies.includes(`echo:${messageId}`) ? true : undefined,
    );
  });

  it('refuses bad input before sending anything, naming what was wrong', async () => {
    t.runtime.pause('echo');
    try {
      const queueUrl = t.queueUrl('echo');
      const before = await visible(queueUrl);
      // @ts-expect-error: the payload type comes from the job's schema
      await expect(client.enqueue('echo', { n: 'one' })).rejects.toThrow(PayloadValidationError);
      await expect(
        client.enqueue('echo', { n: 1, waitMs: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) } as never),
      ).rejects.toThrow(PayloadValidationError);
      // @ts-expect-error: unknown job names do not type-check either
      await expect(client.enqueue('nope', {})).rejects.toThrow(
        new UnknownJobError(
          'nope',
          jobs.map((j) => j.name),
        ),
      );
      await expect(client.enqueue('echo', { n: 1 }, { delaySeconds: 901 })).rejects.toThrow(
        'job "echo": delaySeconds is 901; allowed: an integer from 0 to 900',
      );
      await expect(client.enqueue('echo', { n: 1 }, { groupId: 'g' })).rejects.toThrow(
        InvalidEnqueueOptionsError,
      );
      expect(await visible(queueUrl)).toBe(before);
    } finally {
      t.runtime.resume('echo');
    }
  });

  it('refuses a body over SQS maximum size', async () => {
    const picky = pickyJob.name;
    await expect(
      client.enqueue(picky, { label: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) }),
    ).rejects.toThrow(MessageTooLargeError);
    await expect(
      client.enqueue(picky, { label: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) }),
    ).rejects.toThrow(/the message is \d+ bytes; SQS takes at most 1048576/);
  });
});

describe('enqueueMany', () => {
  it('retries the entries SQS reports as failed until every one is sent, and reports invalid ones', async () => {
    t.runtime.pause('echo');
    try {
      const queueUrl = t.queueUrl('echo');
      const before = await visible(queueUrl);
      // Entries whose id ends in 3 fail on the first two calls that carry them.
      const flaky = flakySqs(t.runtime.sqsEndpoint, (id, call) => id.endsWith('3') && call <= 4);
      const payloads = Array.from({ length: 25 }, (_, n) => ({ n }));
      const results = await clientFor(flaky.sqs).enqueueMany('echo', [
        ...payloads,
        { n: 'bad' } as never,
      ]);
      expect(flaky.dropped.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.ok)).toHaveLength(25);
      expect(results[25]).toMatchObject({
        index: 25,
        ok: false,
        error: expect.stringContaining('payload does not match'),
      });
      expect(results.map((r) => r.index)).toEqual([...Array(26).keys()]);
      await waitFor(
        'the count',
        async () => ((await visible(queueUrl)) === before + 25 ? true : undefined),
        3000,
      );
    } finally {
      t.runtime.resume('echo');
    }
  });
});

describe('back-pressure', () => {
  it('rejects, or waits while the queue holds more than maxBacklog', async () => {
    await client.pause('capped');
    const results = await client.enqueueMany(
      'capped',
      Array.from({ length: 5 }, (_, n) => ({ n })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the backlog cache
    await expect(client.enqueue('capped', { n: 6 })).rejects.toThrow(BacklogFullError);
    await expect(
      client.enqueue('capped', { n: 6 }, { onBacklog: 'wait', maxWaitMs: 300 }),
    ).rejects.toThrow(/has 5 messages waiting, over its maxBacklog of 5 after waiting \d+ ms/);
    setTimeout(() => void client.resume('capped'), 300);
    const started = Date.now();
    await client.enqueue('capped', { n: 7 }, { onBacklog: 'wait', maxWaitMs: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('pause and resume', () => {
  it('stops the event source mapping and the rules, and the status shows it', async () => {
    await client.pause('listener');
    expect(t.runtime.isPaused('listener')).toBe(true);
    expect(t.runtime.rules.forJob('listener').map((r) => r.state)).toEqual(['DISABLED']);
    expect((await client.status('listener')).paused).toBe(true);
    await client.resume('listener');
    expect(t.runtime.isPaused('listener')).toBe(false);
    expect((await client.status('listener')).paused).toBe(false);
  });
});

describe('emitMany', () => {
  it('puts events in calls of 10 and returns a result per entry, errors included', async () => {
    const entries = Array.from({ length: 12 }, (_, n) => ({
      detailType: 'Ping',
      detail: { priority: 5 + n },
    }));
    const results = await client.emitMany([
      ...entries,
      { detailType: 'Ping', detail: {}, source: '' },
    ]);
    expect(results.slice(0, 12).every((r) => r.ok)).toBe(true);
    expect(results[12]).toMatchObject({
      ok: false,
      error: expect.stringContaining('InvalidArgument'),
    });
  });
});

describe('dead letters', () => {
  it('lists reasons, redrives exactly the chosen messages, which are then processed, and purges', async () => {
    writeFileSync(refuseFlag, '');
    const sent = await client.enqueueMany(
      'picky',
      ['a', 'b', 'c'].map((label) => ({ label, refuseWhile: refuseFlag })),
    );
    const letters = await waitFor('three dead letters', async () => {
      const found = await client.deadLetters.list('picky');
      return found.length === 3 ? found : undefined;
    });
    expect(new Set(letters.map((l) => l.originalMessageId))).toEqual(
      new Set(sent.map((r) => (r.ok ? r.messageId : ''))),
    );
    expect(letters[0]).toMatchObject({
      error: 'PermanentError',
      attempt: 1,
      reason: expect.stringMatching(/^refusing [abc] while/),
    });

    const byLabel = new Map(letters.map((l) => [JSON.parse(l.body).label as string, l.messageId]));
    const chosen = [byLabel.get('a') ?? '', byLabel.get('c') ?? ''];
    const dry = await client.deadLetters.purge('picky', { dryRun: true });
    expect(dry.selected).toHaveLength(3);
    expect(await client.deadLetters.list('picky')).toHaveLength(3);

    rmSync(refuseFlag);
    const processedBefore = succeededBodies.length;
    const moved = await client.deadLetters.redrive('picky', { ids: [...chosen, 'not-there'] });
    expect(new Set(moved.selected)).toEqual(new Set(chosen));
    expect(moved.notFound).toEqual(['not-there']);
    await waitFor('two redriven messages processed', () =>
      succeededBodies.slice(processedBefore).filter((s) => s.startsWith('picky:')).length === 2
        ? true
        : undefined,
    );
    const left = await client.deadLetters.list('picky');
    expect(left.map((l) => l.messageId)).toEqual([byLabel.get('b')]);

    const purged = await client.deadLetters.purge('picky', { ids: [byLabel.get('b') ?? ''] });
    expect(purged.selected).toEqual([byLabel.get('b')]);
    expect(await client.deadLetters.list('picky')).toEqual([]);
  });
});

describe('status', () => {
  it('reports depths, dead letters, trigger and paused state', async () => {
    const status = await client.status('listener');
    expect(status).toMatchObject({
      job: 'listener',
      trigger: 'events',
      deadLetters: 0,
      paused: false,
      problems: [],
    });
    expect(status.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
  });
});
