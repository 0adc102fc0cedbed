import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { PermanentError } from '../../core/errors.ts';
import { FALLBACK_METRICS_NAMESPACE, JOB_METRICS } from '../../core/metric-names.ts';
import { handlerUnderTest, type ManualClock, manualClock } from './handler-harness.ts';

const HANDLER_MS = 120;
/** The harness starts the clock 1.5 s after the messages were sent. */
const AGE_MS = 1500;

/** Each record takes 120 ms on the handler's clock, then ends as its payload asks. */
function chargeJob(clock: ManualClock) {
  return defineJob({
    name: 'charge',
    schema: z.object({ end: z.enum(['succeed', 'throw', 'permanent']) }),
    handler: ({ end }) => {
      clock.advance(HANDLER_MS);
      if (end === 'throw') throw new Error('payment provider timed out');
      if (end === 'permanent') throw new PermanentError('card was declined');
    },
    timeoutSeconds: 1,
  });
}

function setUp() {
  const clock = manualClock();
  return handlerUnderTest(chargeJob(clock), { clock });
}

describe('createHandler: metrics per outcome, counters summed per batch', () => {
  it.each([
    ['succeeds', 'succeed', [JOB_METRICS.succeeded]],
    ['fails and will be retried', 'throw', [JOB_METRICS.failed, JOB_METRICS.retried]],
    ['fails permanently', 'permanent', [JOB_METRICS.failed, JOB_METRICS.deadLettered]],
  ])(
    'records AgeAtStart, Duration and the counters of a record that %s',
    async (_, end, counters) => {
      // Arrange
      const h = setUp();

      // Act
      await h.invoke([h.record(JSON.stringify({ end }))]);

      // Assert
      expect(h.metricCalls()).toEqual([
        [JOB_METRICS.ageAtStart, 'Milliseconds', AGE_MS],
        [JOB_METRICS.duration, 'Milliseconds', HANDLER_MS],
        ...counters.map((name) => [name, 'Count', 1]),
      ]);
    },
  );

  it('counts a record that was not started as Retried only, with no Duration or age', async () => {
    // Arrange: 100 ms left is under the 500 ms stop margin of a 1 s timeout.
    const h = setUp();
    const records = [h.record('{"end":"succeed"}'), h.record('{"end":"succeed"}')];

    // Act
    const response = await h.invoke(records, h.context(100));

    // Assert
    expect(response.batchItemFailures).toHaveLength(2);
    expect(h.metricCalls()).toEqual([[JOB_METRICS.retried, 'Count', 2]]);
  });

  it('prints one EMF document per batch in the bgjobs namespace with the job as service', async () => {
    // Arrange
    const h = setUp();
    const records = ['succeed', 'throw', 'permanent'].map((end) =>
      h.record(JSON.stringify({ end })),
    );

    // Act
    await h.invoke(records);

    // Assert
    const documents = h.emf();
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: FALLBACK_METRICS_NAMESPACE,
            Dimensions: [['service']],
            Metrics: expect.arrayContaining([
              { Name: 'Succeeded', Unit: 'Count' },
              { Name: 'Failed', Unit: 'Count' },
              { Name: 'Retried', Unit: 'Count' },
              { Name: 'DeadLettered', Unit: 'Count' },
              { Name: 'Duration', Unit: 'Milliseconds' },
              { Name: 'AgeAtStart', Unit: 'Milliseconds' },
            ]),
          },
        ],
      },
      service: 'charge',
      AgeAtStart: [AGE_MS, AGE_MS + HANDLER_MS, AGE_MS + 2 * HANDLER_MS],
      Duration: [HANDLER_MS, HANDLER_MS, HANDLER_MS],
      Succeeded: 1,
      Failed: 2,
      Retried: 1,
      DeadLettered: 1,
    });
  });
});
