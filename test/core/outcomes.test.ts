import { describe, expect, it } from 'vitest';
import { batchItemFailures, type RecordOutcome } from '../../core/outcomes.ts';

const outcomes: RecordOutcome[] = [
  { messageId: 'a', status: 'succeeded', durationMs: 3 },
  { messageId: 'b', status: 'retry', reason: 'boom', delaySeconds: 10, durationMs: 4 },
  {
    messageId: 'c',
    status: 'dead-lettered',
    reason: 'bad',
    errorName: 'PermanentError',
    durationMs: 1,
  },
  { messageId: 'd', status: 'not-started', reason: 'near-timeout' },
  { messageId: 'e', status: 'not-started', reason: 'fifo-group-failed' },
];

describe('batchItemFailures', () => {
  it('reports retried and not-started records, in batch order', () => {
    expect(batchItemFailures(outcomes)).toEqual({
      batchItemFailures: [
        { itemIdentifier: 'b' },
        { itemIdentifier: 'd' },
        { itemIdentifier: 'e' },
      ],
    });
  });

  it('treats succeeded and dead-lettered records as done', () => {
    expect(batchItemFailures([outcomes[0], outcomes[2]] as RecordOutcome[])).toEqual({
      batchItemFailures: [],
    });
  });

  it('returns an empty list for an empty batch', () => {
    expect(batchItemFailures([])).toEqual({ batchItemFailures: [] });
  });
});
