import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import { EventDetailValidationError, InvalidEventError } from '../../core/errors.ts';
import {
  drain,
  LOCAL_CREDENTIALS,
  startTestRuntime,
  type TestRuntime,
  waitFor,
} from '../e2e/harness.ts';
import { listenerJob } from '../local/fixtures/jobs/listener.ts';
import { relayJob } from '../local/fixtures/jobs/relay.ts';

const jobs = [listenerJob, relayJob] as const;
let t: TestRuntime;
let client: ReturnType<typeof createClient<typeof jobs>>;
/** Every event the local bus took, by id: the rules it matched, or none. */
const taken = new Map<string, string[]>();

beforeAll(async () => {
  t = await startTestRuntime(jobs);
  t.runtime.events.on('delivered', ({ rule, event }) =>
    taken.set(event.id, [...(taken.get(event.id) ?? []), rule.job.name]),
  );
  t.runtime.events.on('unmatched', ({ event }) => taken.set(event.id, []));
  client = createClient({
    jobs,
    sqs: t.sqs,
    eventBridge: new EventBridgeClient({
      endpoint: t.runtime.eventsEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
  });
});
afterAll(() => t?.runtime.stop());

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('emit', () => {
  it('puts the event and names the jobs whose rule matches it', async () => {
    const { eventId, jobs: reached } = await client.emit(
      'Ping',
      { priority: 7 },
      { source: 'test.source' },
    );

    expect(reached).toEqual(['listener']);
    expect(taken.get(eventId)).toEqual(['listener']);
  });

  it('puts an event no rule matches and says so with an empty list of jobs', async () => {
    const { eventId, jobs: reached } = await client.emit(
      'Ping',
      { priority: 1 },
      { source: 'test.source' },
    );

    expect(reached).toEqual([]);
    expect(taken.get(eventId)).toEqual([]);
  });

  it('names no jobs on another bus, whose rules are not the registry’s', () => {
    const prepared = client.checkEvent(
      'Ping',
      { priority: 7 },
      { source: 'test.source', eventBusName: 'default' },
    );

    expect(prepared.jobs).toBeUndefined();
    expect(prepared.entry).toMatchObject({ EventBusName: 'default', Detail: '{"priority":7}' });
  });

  it.each([
    [
      'detail that is an array',
      'Ping',
      [1, 2],
      {},
      'MalformedDetail',
      /it must be a JSON object; got an array/,
    ],
    ['detail that is a string', 'Ping', 'hello', {}, 'MalformedDetail', /got a string/],
    [
      'a source starting with "aws."',
      'Ping',
      {},
      { source: 'aws.s3' },
      'NotAuthorizedForSourceException',
      /Not authorized for the source/,
    ],
    [
      'a detail-type over 128 characters',
      'P'.repeat(129),
      {},
      {},
      'InvalidArgument',
      /at most 128/,
    ],
  ])(
    'refuses %s with InvalidEventError (%s) and sends nothing',
    async (_what, detailType, detail, options, code, message) => {
      const before = taken.size;

      const error = await rejectionOf(client.emit(detailType, detail, options));

      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as InvalidEventError).errorCode).toBe(code);
      expect(error.message).toMatch(message);
      expect(taken.size).toBe(before);
    },
  );

  it('refuses a detail that fails the schema of a job whose rule matches, naming the job and the issue, and sends nothing', async () => {
    const before = taken.size;

    const error = await rejectionOf(
      client.emit('Relay', { text: 'no n' }, { source: 'test.relay' }),
    );

    expect(error).toBeInstanceOf(EventDetailValidationError);
    expect((error as EventDetailValidationError).failures).toEqual([
      { job: 'relay', issues: ['n: Invalid input: expected number, received undefined'] },
    ]);
    expect(error.message).toContain('matches the rule of "relay"');
    expect(taken.size).toBe(before);
  });

  it('sends it anyway with validate: false, and the job then dead-letters it', async () => {
    const { eventId } = await client.emit(
      'Relay',
      { text: 'no n' },
      { source: 'test.relay', validate: false },
    );

    expect(taken.get(eventId)).toEqual(['relay']);
    const [letter] = await waitFor(
      'the dead letter',
      async () => {
        const found = await drain(t.sqs, t.deadLetterQueueUrl('relay'));
        return found.length > 0 ? found : undefined;
      },
      30_000,
    );
    expect(JSON.parse(letter?.Body ?? '{}').id).toBe(eventId);
    expect(letter?.MessageAttributes?.['bgjobs.error']?.StringValue).toBe('PayloadValidationError');
  });

  it('rejects with the connection error as cause when nothing listens on the endpoint', async () => {
    const stopped = createClient({
      jobs,
      eventBridge: new EventBridgeClient({
        endpoint: 'http://127.0.0.1:1',
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
    });

    const error = await rejectionOf(
      stopped.emit('Ping', { priority: 7 }, { source: 'test.source' }),
    );

    expect(error.message).toMatch(/^event "Ping" was not sent: PutEvents failed: /);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

describe('emitMany', () => {
  it('sends the entries that pass the checks and gives the others an error result, in order', async () => {
    const before = taken.size;

    const results = await client.emitMany([
      { detailType: 'Ping', detail: { priority: 9 }, source: 'test.source' },
      { detailType: 'Ping', detail: [9], source: 'test.source' },
      { detailType: 'Relay', detail: {}, source: 'test.relay' },
      { detailType: 'Relay', detail: { n: 1 }, source: 'test.relay' },
    ]);

    expect(results.map((r) => (r.ok ? r.jobs : r.error))).toEqual([
      ['listener'],
      expect.stringContaining('MalformedDetail'),
      expect.stringContaining('does not match the schema'),
      ['relay'],
    ]);
    expect(taken.size - before).toBe(2);
  });
});
