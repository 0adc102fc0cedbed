import { QueueDoesNotExist, RequestThrottled, SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import {
  type EventBridgeEvent,
  eventBridgeEvent,
  ruleTargetBody,
  scheduledEvent,
} from '../../../core/messages.ts';
import { planApp } from '../../../core/plan.ts';
import type { Clock } from '../../../local/clock.ts';
import type { RetryPolicy } from '../../../local/eventbridge/retry-policy.ts';
import {
  type QueueMessage,
  type RuleTargetReport,
  startRuleTargets,
} from '../../../local/eventbridge/rule-targets.ts';
import { type LocalRule, RuleRegistry } from '../../../local/eventbridge/rules.ts';

const job = defineJob({
  name: 'report',
  schema: z.object({}),
  handler: async () => {},
  events: { source: ['shop'] },
  schedule: 'rate(1 hour)',
});
const rules = new RuleRegistry(planApp([job], { stackName: 'app' }));
const eventRule = rules.get('app--report--events') as LocalRule;
const scheduleRule = rules.get('app--report--schedule') as LocalRule;
const QUEUE = {
  url: 'http://sqs.local/000000000000/app--report',
  arn: 'arn:aws:sqs:us-east-1:000000000000:app--report',
};
const DLQ = {
  url: 'http://sqs.local/000000000000/app--report--rule-dlq',
  arn: 'arn:aws:sqs:us-east-1:000000000000:app--report--rule-dlq',
};
const START = Date.parse('2026-03-02T10:00:00Z');

/** A clock that moves only when the test runs its next timer. */
class StepClock implements Clock {
  nowMs = START;
  readonly #timers = new Map<number, { atMs: number; fn: () => void }>();
  #nextId = 1;

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { atMs: this.nowMs + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Runs the earliest timer at its time; false when none is left. */
  runNext(): boolean {
    const [id, timer] = [...this.#timers].sort(([, a], [, b]) => a.atMs - b.atMs)[0] ?? [];
    if (id === undefined || !timer) return false;
    this.#timers.delete(id);
    this.nowMs = timer.atMs;
    timer.fn();
    return true;
  }
}

/** The fake SQS answers at once, so one turn of the event loop settles every attempt started. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function runAllTimers(clock: StepClock): Promise<void> {
  while (clock.runNext()) await settle();
}

const throttled = () => new RequestThrottled({ message: 'Rate exceeded', $metadata: {} });
const gone = () =>
  new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} });
const refusedBody = () =>
  new SQSServiceException({
    name: 'AWS.SimpleQueueService.InvalidMessageContents',
    $fault: 'client',
    message: 'Invalid characters found.',
    $metadata: {},
  });

function event(n: number): EventBridgeEvent {
  return eventBridgeEvent({
    id: `event-${n}`,
    'detail-type': 'OrderPlaced',
    source: 'shop',
    account: '000000000000',
    time: '2026-03-02T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { n },
  });
}

/**
 * Rule targets over a fake SQS: `fail` decides, per message and per call to that queue, the
 * error SQS answers with (undefined: accepted). Every message sent and every report is kept.
 */
function start(options: {
  fail?: (message: QueueMessage, call: number) => Error | undefined;
  policy?: RetryPolicy;
  deadLetterQueue?: typeof DLQ | undefined;
}) {
  const clock = new StepClock();
  const sent: (QueueMessage & { atMs: number })[] = [];
  const accepted: QueueMessage[] = [];
  const reports: RuleTargetReport[] = [];
  const calls = new Map<string, number>();
  const targets = startRuleTargets({
    send: async (message) => {
      const call = (calls.get(message.queueUrl) ?? 0) + 1;
      calls.set(message.queueUrl, call);
      sent.push({ ...message, atMs: clock.now() });
      const error = options.fail?.(message, call);
      if (error) throw error;
      accepted.push(message);
    },
    targetOf: () => ({
      queue: QUEUE,
      deadLetterQueue: 'deadLetterQueue' in options ? options.deadLetterQueue : DLQ,
      messageGroupId: undefined,
    }),
    policy: options.policy,
    clock,
    random: () => 0,
    onReport: (report) => reports.push(report),
  });
  const to = (url: string) => accepted.filter((m) => m.queueUrl === url);
  const attemptsAt = (url: string) => sent.filter((m) => m.queueUrl === url);
  return { clock, targets, sent, reports, to, attemptsAt };
}

const finalOutcomes = new Set(['delivered', 'dead-lettered', 'lost', 'abandoned']);

describe('rule targets', () => {
  it("delivers the event EventBridge's SQS target sends to the job's queue at the first attempt", async () => {
    const { targets, to, reports } = start({});

    await targets.deliver(eventRule, event(1));

    expect(to(QUEUE.url).map((m) => m.body)).toEqual([ruleTargetBody(event(1))]);
    expect(reports).toMatchObject([{ outcome: 'delivered', retries: 0, rule: eventRule }]);
    expect(targets.waiting).toBe(0);
  });

  it("puts an event whose queue no longer exists on the rule's dead-letter queue at once, with EventBridge's attributes", async () => {
    const { targets, to, attemptsAt, clock } = start({
      fail: (m) => (m.queueUrl === QUEUE.url ? gone() : undefined),
    });

    await targets.deliver(eventRule, event(1));

    expect(attemptsAt(QUEUE.url)).toHaveLength(1);
    expect(clock.pending).toBe(0);
    const [letter] = to(DLQ.url);
    expect(letter?.body).toBe(ruleTargetBody(event(1)));
    expect(letter?.attributes).toEqual({
      RULE_ARN: { DataType: 'String', StringValue: eventRule.arn },
      TARGET_ARN: { DataType: 'String', StringValue: QUEUE.arn },
      ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' },
      ERROR_MESSAGE: {
        DataType: 'String',
        StringValue: 'QueueDoesNotExist: The specified queue does not exist.',
      },
      RETRY_ATTEMPTS: { DataType: 'String', StringValue: '0' },
    });
  });

  it('retries a throttled delivery on the clock, with growing delays, until it goes through', async () => {
    const { targets, clock, to, attemptsAt, reports } = start({
      fail: (m, call) => (m.queueUrl === QUEUE.url && call <= 3 ? throttled() : undefined),
    });

    await targets.deliver(eventRule, event(1));
    expect(targets.waiting).toBe(1);
    await runAllTimers(clock);

    expect(attemptsAt(QUEUE.url).map((m) => m.atMs - START)).toEqual([0, 500, 1500, 3500]);
    expect(to(QUEUE.url)).toHaveLength(1);
    expect(to(DLQ.url)).toEqual([]);
    expect(reports.map((r) => r.outcome)).toEqual([
      'retrying',
      'retrying',
      'retrying',
      'delivered',
    ]);
    expect(reports.at(-1)).toMatchObject({ outcome: 'delivered', retries: 3 });
  });

  it('dead-letters after 185 retries with MaximumRetryAttempts: 186 attempts, RETRY_ATTEMPTS 185', async () => {
    const { targets, clock, to, attemptsAt } = start({
      fail: (m) => (m.queueUrl === QUEUE.url ? throttled() : undefined),
    });

    await targets.deliver(eventRule, event(1));
    await runAllTimers(clock);

    expect(attemptsAt(QUEUE.url)).toHaveLength(186);
    const [letter] = to(DLQ.url);
    expect(to(DLQ.url)).toHaveLength(1);
    expect(letter?.attributes).toMatchObject({
      ERROR_CODE: { StringValue: 'THROTTLING' },
      ERROR_MESSAGE: { StringValue: 'RequestThrottled: Rate exceeded' },
      EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumRetryAttempts' },
      RETRY_ATTEMPTS: { StringValue: '185' },
    });
    // At this jitter the retries span under the 24 hours of MaximumEventAgeInSeconds.
    expect(clock.nowMs - START).toBeLessThan(86_400_000);
  });

  it('dead-letters with MaximumEventAgeInSeconds when the next retry would come after the maximum age', async () => {
    const { targets, clock, to, attemptsAt } = start({
      fail: (m) => (m.queueUrl === QUEUE.url ? throttled() : undefined),
      policy: { retryAttempts: 185, maxEventAgeSeconds: 60 },
    });

    await targets.deliver(eventRule, event(1));
    await runAllTimers(clock);

    // Retries at 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s; the next would be at 63.5 s.
    expect(attemptsAt(QUEUE.url)).toHaveLength(7);
    expect(to(DLQ.url)[0]?.attributes).toMatchObject({
      EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumEventAgeInSeconds' },
      RETRY_ATTEMPTS: { StringValue: '6' },
    });
  });

  it('ends each of 60 events of both rules in one final report: in the queue or in the dead-letter queue, none twice, none missing', async () => {
    // Event n: n % 3 == 0 fails for good, n % 3 == 1 is throttled twice, n % 3 == 2 goes through.
    const attemptsOf = new Map<string, number>();
    const { targets, clock, to, reports } = start({
      fail: (m) => {
        if (m.queueUrl !== QUEUE.url) return undefined;
        const { id, detail } = JSON.parse(m.body) as { id: string; detail: { n?: number } };
        const attempt = (attemptsOf.get(id) ?? 0) + 1;
        attemptsOf.set(id, attempt);
        const n = detail.n ?? Number(id.split('-')[1]);
        if (n % 3 === 0) return gone();
        if (n % 3 === 1 && attempt <= 2) return throttled();
        return undefined;
      },
    });
    const sentEvents = Array.from({ length: 60 }, (_, n) =>
      n % 2 === 0
        ? { rule: eventRule, event: event(n) }
        : {
            rule: scheduleRule,
            event: scheduledEvent({
              id: `tick-${n}`,
              time: new Date(START),
              account: '000000000000',
              region: 'us-east-1',
              ruleArn: scheduleRule.arn,
            }),
          },
    );

    await Promise.all(sentEvents.map(({ rule, event }) => targets.deliver(rule, event)));
    await runAllTimers(clock);

    const ids = (url: string) => to(url).map((m) => (JSON.parse(m.body) as { id: string }).id);
    const inQueue = ids(QUEUE.url);
    const inDeadLetterQueue = ids(DLQ.url);
    expect(inQueue).toHaveLength(40);
    expect(inDeadLetterQueue).toHaveLength(20);
    expect(new Set([...inQueue, ...inDeadLetterQueue])).toEqual(
      new Set(sentEvents.map(({ event }) => event.id)),
    );
    const finals = reports.filter((r) => finalOutcomes.has(r.outcome));
    expect(finals.map((r) => r.event.id).sort()).toEqual(
      sentEvents.map(({ event }) => event.id).sort(),
    );
    const ruleArns = to(DLQ.url).map((m) => m.attributes?.RULE_ARN?.StringValue);
    expect(new Set(ruleArns)).toEqual(new Set([eventRule.arn, scheduleRule.arn]));
  });

  it('reports an event that the dead-letter queue refuses too as lost, with both reasons', async () => {
    const { targets, reports } = start({ fail: () => refusedBody() });

    await targets.deliver(eventRule, event(1));

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      outcome: 'lost',
      failure: { errorCode: 'INVALID_PARAMETER', retryable: false },
      reason: expect.stringContaining("the rule's dead-letter queue refused it too"),
    });
  });

  it('reports an undeliverable event as lost when the rule has no dead-letter queue, as AWS drops it', async () => {
    const { targets, reports, sent } = start({ fail: () => gone(), deadLetterQueue: undefined });

    await targets.deliver(eventRule, event(1));

    expect(sent).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      outcome: 'lost',
      reason: expect.stringContaining('no dead-letter queue'),
    });
  });

  it('on stop, reports every event waiting to retry as abandoned, leaves no timer and sends nothing more', async () => {
    const { targets, clock, sent, reports } = start({ fail: () => throttled() });
    await targets.deliver(eventRule, event(1));
    await targets.deliver(eventRule, event(2));
    clock.runNext();
    await settle();
    const sentBeforeStop = sent.length;

    const abandoned = await targets.stop();

    expect(abandoned.map((r) => [r.outcome, r.event.id])).toEqual([
      ['abandoned', 'event-2'],
      ['abandoned', 'event-1'],
    ]);
    expect(abandoned[1]).toMatchObject({ retries: 1, failure: { errorCode: 'THROTTLING' } });
    expect(clock.pending).toBe(0);
    expect(sent).toHaveLength(sentBeforeStop);
    expect(reports.filter((r) => r.outcome === 'abandoned')).toHaveLength(2);
  });

  it('on stop, waits for an attempt in flight and abandons it if it must retry', async () => {
    let release: () => void = () => {};
    const clock = new StepClock();
    const targets = startRuleTargets({
      send: () =>
        new Promise((_, reject) => {
          release = () => reject(throttled());
        }),
      targetOf: () => ({ queue: QUEUE, deadLetterQueue: DLQ, messageGroupId: undefined }),
      clock,
    });
    const delivering = targets.deliver(eventRule, event(1));

    const stopping = targets.stop();
    release();
    const [abandoned] = await stopping;

    expect(abandoned).toMatchObject({ outcome: 'abandoned', retries: 0 });
    await delivering;
    expect(clock.pending).toBe(0);
  });
});
