import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { settleBatch } from '../../../local/lambda/batch-result.ts';

const records = ['a', 'b', 'c'].map((messageId) => ({ messageId }) as SQSRecord);
const ids = (list: readonly SQSRecord[]) => list.map((r) => r.messageId);

describe("Lambda's partial batch response, as the local event source mapping applies it", () => {
  it('deletes every record when batchItemFailures is empty, null or absent', () => {
    for (const response of [
      { batchItemFailures: [] },
      { batchItemFailures: null },
      {},
      null,
      undefined,
    ]) {
      const settled = settleBatch(records, { kind: 'returned', response });
      expect(ids(settled.succeeded)).toEqual(['a', 'b', 'c']);
      expect(settled.failed).toEqual([]);
    }
  });

  it('keeps only the listed records', () => {
    const settled = settleBatch(records, {
      kind: 'returned',
      response: { batchItemFailures: [{ itemIdentifier: 'b' }] },
    });
    expect(ids(settled.succeeded)).toEqual(['a', 'c']);
    expect(ids(settled.failed)).toEqual(['b']);
    expect(settled.wholeBatchReason).toBeUndefined();
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an itemIdentifier not in the batch', { batchItemFailures: [{ itemIdentifier: 'z' }] }],
    ['a missing itemIdentifier', { batchItemFailures: [{}] }],
    ['batchItemFailures that is not a list', { batchItemFailures: 'b' }],
  ])('fails the whole batch for %s', (_, response) => {
    const settled = settleBatch(records, { kind: 'returned', response });
    expect(settled.succeeded).toEqual([]);
    expect(ids(settled.failed)).toEqual(['a', 'b', 'c']);
    expect(settled.wholeBatchReason).toMatch(/batchItemFailures/);
  });

  it('fails the whole batch when the function throws or times out', () => {
    expect(settleBatch(records, { kind: 'threw', error: 'Error: boom' })).toEqual({
      succeeded: [],
      failed: records,
      wholeBatchReason: 'the function threw: Error: boom',
    });
    expect(settleBatch(records, { kind: 'timed-out', timeoutMs: 1000 }).wholeBatchReason).toBe(
      'the function timed out after 1000 ms',
    );
  });
});
