/**
 * The local bus loses nothing, on the runtime `npm start` runs (persisted SQS): every event a
 * rule sends either reaches its job or lands in the rule's dead-letter queue with the attributes
 * EventBridge sets, counted message by message.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand, type Message, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQS_MAX_MESSAGE_BYTES } from '../../core/limits.ts';
import { scaledClock } from '../../local/clock.ts';
import type { RuleTargetReport } from '../../local/eventbridge/rule-targets.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { startSqsServer } from '../../local/sqs/server.ts';
import { OutageProxy } from '../faults/proxy.ts';
import { relayJob } from '../local/fixtures/jobs/relay.ts';
import { tickJob } from '../local/fixtures/jobs/tick.ts';
import {
  drain,
  FIXTURE_JOBS_DIR,
  ISOLATED,
  LOCAL_CREDENTIALS,
  startTestRuntime,
  type TestRuntime,
  waitFor,
} from './harness.ts';

const EMOJI_TEXT = 'order 😀 from 𝄞 at €5';

let t: TestRuntime;
let events: EventBridgeClient;
let relayLog: string;
const reports: RuleTargetReport[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-rule-targets-'));
  relayLog = path.join(dataDir, 'relayed.log');
  // 60 virtual seconds per real second: rate(1 minute) fires every second.
  t = await startTestRuntime([relayJob, tickJob], { clock: scaledClock(60), dataDir });
  t.runtime.events.on('ruleTarget', (report) => reports.push(report));
  events = new EventBridgeClient({
    endpoint: t.runtime.eventsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(() => t?.runtime.stop());

/** Puts relay events (detail as given) and returns their event ids, all accepted. */
async function putRelayEvents(details: readonly object[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < details.length; i += 10) {
    const result = await events.send(
      new PutEventsCommand({
        Entries: details.slice(i, i + 10).map((detail) => ({
          EventBusName: t.runtime.busName,
          Source: 'test.relay',
          DetailType: 'Relay',
          Detail: JSON.stringify({ ...detail, log: relayLog }),
        })),
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
    ids.push(...(result.Entries ?? []).map((e) => e.EventId ?? ''));
  }
  return ids;
}

function relayed(): { eventId: string; text?: string }[] {
  if (!existsSync(relayLog)) return [];
  return readFileSync(relayLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function ruleDeadLetterQueueUrl(job: string): string {
  const url = t.runtime.queues.get(job)?.ruleDeadLetterQueue?.url;
  if (!url) throw new Error(`job ${job} has no rule dead-letter queue`);
  return url;
}

const attribute = (message: Message, name: string) =>
  message.MessageAttributes?.[name]?.StringValue;
const eventIdOf = (message: Message) => (JSON.parse(message.Body ?? '{}') as { id: string }).id;

describe('rule targets on the local runtime', () => {
  it('delivers every event a job queue takes, and puts every one it refuses in the rule DLQ with its attributes', async () => {
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: t.queueUrl('relay'),
        Attributes: { MaximumMessageSize: '1024' },
      }),
    );
    const small = Array.from({ length: 6 }, (_, n) => ({ n }));
    const large = Array.from({ length: 4 }, (_, n) => ({ n: 6 + n, pad: 'x'.repeat(1500) }));

    const ids = await putRelayEvents([...small, ...large]);

    // PutEvents answers after the first attempt, and a refused body is not retried: the dead
    // letters are there already.
    const dead = await drain(t.sqs, ruleDeadLetterQueueUrl('relay'));
    // The first invocation loads the job in a new worker: seconds on a busy machine.
    const reached = await waitFor(
      'six relayed events',
      () => (relayed().length >= 6 ? relayed() : undefined),
      30_000,
    );
    expect(reached.map((r) => r.eventId).sort()).toEqual(ids.slice(0, 6).sort());
    expect(dead.map(eventIdOf).sort()).toEqual(ids.slice(6).sort());
    const relayRule = t.runtime.rules.get('bgjobs--relay--events');
    for (const message of dead) {
      expect(attribute(message, 'ERROR_CODE')).toBe('INVALID_PARAMETER');
      expect(attribute(message, 'ERROR_MESSAGE')).toMatch(/^InvalidParameterValue: .*1024 bytes/);
      expect(attribute(message, 'RETRY_ATTEMPTS')).toBe('0');
      expect(attribute(message, 'RULE_ARN')).toBe(relayRule?.arn);
      expect(attribute(message, 'TARGET_ARN')).toBe(t.runtime.queues.get('relay')?.queue.arn);
      expect(message.MessageAttributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
      expect(JSON.parse(message.Body ?? '{}')).toMatchObject({
        source: 'test.relay',
        'detail-type': 'Relay',
        detail: { pad: 'x'.repeat(1500) },
      });
    }
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: t.queueUrl('relay'),
        Attributes: { MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES) },
      }),
    );
  });

  // fauxqs 2.4.1 refused these until patches/fauxqs+2.4.1.patch (the runtime refuses an unpatched fauxqs).
  it('carries characters above U+FFFF to the handler intact', async () => {
    const before = relayed().length;

    const [id] = await putRelayEvents([{ n: 100, text: EMOJI_TEXT }]);

    const got = await waitFor('the emoji event handled', () =>
      relayed()
        .slice(before)
        .find((r) => r.eventId === id),
    );
    expect(got.text).toBe(EMOJI_TEXT);
  });

  it('puts events whose job queue was deleted in the rule DLQ at once, with NO_RESOURCE', async () => {
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: t.queueUrl('relay') }));

    const ids = await putRelayEvents(Array.from({ length: 5 }, (_, n) => ({ n: 200 + n })));

    const dead = await drain(t.sqs, ruleDeadLetterQueueUrl('relay'));
    expect(dead.map(eventIdOf).sort()).toEqual([...ids].sort());
    for (const message of dead) {
      expect(attribute(message, 'ERROR_CODE')).toBe('NO_RESOURCE');
      expect(attribute(message, 'ERROR_MESSAGE')).toBe(
        'QueueDoesNotExist: The specified queue does not exist.',
      );
      expect(attribute(message, 'RETRY_ATTEMPTS')).toBe('0');
    }
    const finals = reports.filter((r) => ids.includes(r.event.id));
    expect(finals.map((r) => r.outcome)).toEqual(Array(5).fill('dead-lettered'));
  });

  it('dead-letters the ticks of a schedule rule whose job queue was deleted, each one', async () => {
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: t.queueUrl('tick') }));
    const tickDeadLetters = () =>
      reports.filter((r) => r.rule.job.name === 'tick' && r.outcome === 'dead-lettered');
    await waitFor('two ticks dead-lettered', () =>
      tickDeadLetters().length >= 2 ? true : undefined,
    );
    t.runtime.pause('tick');

    const received: Message[] = [];
    await waitFor('the DLQ to hold every dead-lettered tick', async () => {
      received.push(...(await drain(t.sqs, ruleDeadLetterQueueUrl('tick'))));
      const reported = tickDeadLetters().map((r) => r.event.id);
      return received.length === reported.length ? reported : undefined;
    });

    expect(received.map(eventIdOf).sort()).toEqual(
      tickDeadLetters()
        .map((r) => r.event.id)
        .sort(),
    );
    const scheduleRule = t.runtime.rules.get('bgjobs--tick--schedule');
    for (const message of received) {
      expect(attribute(message, 'RULE_ARN')).toBe(scheduleRule?.arn);
      expect(attribute(message, 'ERROR_CODE')).toBe('NO_RESOURCE');
      expect(JSON.parse(message.Body ?? '{}')).toMatchObject({
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        resources: [scheduleRule?.arn],
      });
    }
  });
});

describe('rule targets while the SQS endpoint is unreachable', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('retry until the endpoint is back and deliver every event; events still waiting at stop are logged whole', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-rule-retries-'));
    const log = path.join(dataDir, 'relayed.log');
    const server = await startSqsServer({ port: 0, dataDir: path.join(dataDir, 'sqs') });
    cleanups.push(() => server.stop());
    const proxy = new OutageProxy(server.endpoint);
    await proxy.up();
    cleanups.push(() => proxy.down());
    const lines: string[] = [];
    // 600 virtual seconds per real second: the retries' backoff passes quickly.
    const runtime = await startLocalRuntime({
      jobs: [relayJob],
      jobsDir: FIXTURE_JOBS_DIR,
      ...ISOLATED,
      sqsEndpoint: proxy.endpoint,
      clock: scaledClock(600),
      log: (line) => lines.push(line),
    });
    let stopped = false;
    cleanups.push(() => (stopped ? Promise.resolve() : runtime.stop()));
    const seen: RuleTargetReport[] = [];
    runtime.events.on('ruleTarget', (report) => seen.push(report));
    const bus = new EventBridgeClient({
      endpoint: runtime.eventsEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const put = async (count: number, from: number) => {
      const result = await bus.send(
        new PutEventsCommand({
          Entries: Array.from({ length: count }, (_, i) => ({
            EventBusName: runtime.busName,
            Source: 'test.relay',
            DetailType: 'Relay',
            Detail: JSON.stringify({ n: from + i, log }),
          })),
        }),
      );
      expect(result.FailedEntryCount).toBe(0);
      return (result.Entries ?? []).map((e) => e.EventId ?? '');
    };
    const finalOf = (id: string) =>
      seen.filter((r) => r.event.id === id && r.outcome !== 'retrying').map((r) => r.outcome);

    await proxy.down();
    const ids = await put(5, 0);
    // PutEvents answered after each first attempt, which failed: all five wait for a retry.
    expect(ids.map((id) => seen.find((r) => r.event.id === id)?.outcome)).toEqual(
      Array(5).fill('retrying'),
    );
    expect(seen.find((r) => r.outcome === 'retrying')).toMatchObject({
      failure: { errorCode: 'SDK_CLIENT_ERROR', retryable: true },
    });
    await proxy.up();

    await waitFor(
      'five events delivered after retries',
      () => (ids.every((id) => finalOf(id).length === 1) ? true : undefined),
      30_000,
    );
    expect(ids.map(finalOf)).toEqual(Array(5).fill(['delivered']));
    await waitFor(
      'five relayed events',
      () => {
        const handled = existsSync(log)
          ? readFileSync(log, 'utf8').split('\n').filter(Boolean)
          : [];
        return handled.length === 5 ? handled : undefined;
      },
      30_000,
    );

    await proxy.down();
    const waiting = await put(2, 10);
    stopped = true;
    await runtime.stop();

    expect(waiting.map(finalOf)).toEqual([['abandoned'], ['abandoned']]);
    for (const id of waiting) {
      const line = lines.find(
        (l) => l.includes(`event ${id}`) && l.includes('dropped at shutdown'),
      );
      expect(line).toContain(`"id":"${id}"`);
      expect(line).toContain('"detail":{"n":1');
    }
  });
});
