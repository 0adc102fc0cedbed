import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../local/clock.ts';
import { listenerJob } from '../local/fixtures/jobs/listener.ts';
import { tickJob } from '../local/fixtures/jobs/tick.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

let t: TestRuntime;
let events: EventBridgeClient;
const handled: { job: string; messageId: string; status: string }[] = [];

beforeAll(async () => {
  // 60 virtual seconds per real second: rate(1 minute) fires every second.
  t = await startTestRuntime([tickJob, listenerJob], { clock: scaledClock(60) });
  t.runtime.events.on('outcome', (o) =>
    handled.push({ job: o.job, messageId: o.messageId, status: o.outcome.status }),
  );
  events = new EventBridgeClient({
    endpoint: t.runtime.eventsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(() => t?.runtime.stop());

describe('triggers on the local runtime', () => {
  it('fires a scheduled job on its rate and the handler receives the scheduled event', async () => {
    const deliveries: { time: string; resources: readonly string[] }[] = [];
    t.runtime.events.on('delivered', ({ rule, event }) => {
      if (rule.job.name === 'tick')
        deliveries.push({ time: event.time, resources: event.resources });
    });
    await waitFor(
      'two ticks handled',
      () => {
        const ticks = handled.filter((h) => h.job === 'tick' && h.status === 'succeeded');
        return ticks.length >= 2 ? ticks : undefined;
      },
      // The ticks come every real second; the first waits for the worker's cold start
      // (bundle check and init), which takes seconds on a loaded machine.
      30_000,
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    const [first, second] = deliveries;
    expect(Date.parse(second?.time ?? '') - Date.parse(first?.time ?? '')).toBe(60_000);
    expect(first?.resources).toEqual([
      'arn:aws:events:us-east-1:000000000000:rule/bgjobs--tick--schedule',
    ]);
  });

  it('delivers a matching PutEvents event to the event-driven job', async () => {
    const response = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: t.runtime.busName,
            Source: 'test.source',
            DetailType: 'Ping',
            Detail: '{"priority":7}',
          },
        ],
      }),
    );
    expect(response.FailedEntryCount).toBe(0);
    const eventId = response.Entries?.[0]?.EventId;
    const delivered = await waitFor('the listener outcome', () =>
      handled.find((h) => h.job === 'listener' && h.status === 'succeeded'),
    );
    expect(delivered).toBeDefined();
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not deliver an event that does not match, and reports it', async () => {
    const unmatched: string[] = [];
    t.runtime.events.on('unmatched', ({ event }) => unmatched.push(event.id));
    const before = handled.filter((h) => h.job === 'listener').length;
    const response = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: t.runtime.busName,
            Source: 'test.source',
            DetailType: 'Ping',
            Detail: '{"priority":2}',
          },
        ],
      }),
    );
    const eventId = response.Entries?.[0]?.EventId ?? '';
    expect(unmatched).toEqual([eventId]);
    expect(
      t.lines.some((line) => line.includes(`event ${eventId}`) && line.includes('matched no rule')),
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(handled.filter((h) => h.job === 'listener')).toHaveLength(before);
  });
});
