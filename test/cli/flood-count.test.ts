import { describe, expect, it } from 'vitest';
import { floodCounter, othersStillQueued } from '../../cli/flood-count.ts';
import { processed, remaining } from '../../cli/flood-view.ts';
import type { BgjobsClient, JobStatus, Whereabouts } from '../../client/index.ts';
import type { JobDefinition } from '../../core/index.ts';

type Client = BgjobsClient<readonly JobDefinition[]>;

function status(visible: number, inFlight: number, deadLetters = 0): JobStatus {
  return {
    job: 'process',
    trigger: 'on demand',
    visible,
    inFlight,
    delayed: 0,
    deadLetters,
    oldestAgeSeconds: undefined,
    scheduled: false,
    nextRun: undefined,
    schedules: [],
    pendingRuns: 0,
    paused: false,
    duplicatesSuppressed: undefined,
    problems: [],
  };
}

/** A client whose counts answer from a script of readings, and which cannot list messages (AWS). */
function awsClient(readings: JobStatus[]): Client {
  return {
    locate: async () => undefined,
    counts: async () => readings.shift() as JobStatus,
  } as unknown as Client;
}

describe('floodCounter', () => {
  it('counts by message id where the endpoint lists messages', async () => {
    const where: Whereabouts = { visible: 3, inFlight: 2, delayed: 1, deadLettered: 4 };
    const asked: ReadonlySet<string>[] = [];
    const client = {
      locate: async (_job: string, ids: ReadonlySet<string>) => {
        asked.push(ids);
        return where;
      },
    } as unknown as Client;

    const counter = await floodCounter(client, 'process', status(0, 7));
    const counts = await counter.read(new Set(['m-1', 'm-2']));

    expect(counter.countedBy).toBe('message ids');
    expect(counts).toEqual({ backlog: 3, inFlight: 2, delayed: 1, deadLetters: 4, others: 0 });
    expect(asked.at(-1)).toEqual(new Set(['m-1', 'm-2']));
  });

  it('on AWS counts out the messages queued before the flood while that many remain', async () => {
    // Two of another sender's messages sit in flight (a long retry backoff) all along.
    const before = status(0, 2);
    const client = awsClient([status(40, 12), status(10, 7), status(0, 2), status(0, 2)]);
    const counter = await floodCounter(client, 'process', before);
    const sent = 100;

    const readings = [];
    for (let i = 0; i < 4; i++) {
      readings.push({
        elapsedMs: i,
        sent,
        sendFailed: 0,
        memory: undefined,
        ...(await counter.read(new Set())),
      });
    }

    expect(counter.countedBy).toBe('queue counts');
    expect(readings.map(remaining)).toEqual([50, 15, 0, 0]);
    expect(processed(readings[3] as (typeof readings)[number])).toBe(100);
  });

  it("on AWS never counts out more than the fewest the queue held: others that left are not the flood's", async () => {
    const client = awsClient([status(1, 0), status(5, 0)]);
    const counter = await floodCounter(client, 'process', status(3, 0));

    const first = await counter.read(new Set());
    const second = await counter.read(new Set());

    expect(first.others).toBe(1);
    expect(second.others).toBe(1);
  });
});

describe('othersStillQueued', () => {
  it('is the fewest messages seen since the flood began', () => {
    expect(othersStillQueued(5, 8)).toBe(5);
    expect(othersStillQueued(5, 3)).toBe(3);
  });
});
