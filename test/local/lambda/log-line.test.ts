import { describe, expect, it } from 'vitest';
import { OUTCOME_LOG_MESSAGES } from '../../../functions/log-outcome.ts';
import { readableLogLine } from '../../../local/lambda/log-line.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const CONTEXT = {
  timestamp: '2026-12-01T09:59:58.123Z',
  service: 'process',
  cold_start: true,
  function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:bgjobs--process',
  function_memory_size: '256',
  function_name: 'bgjobs--process',
  function_request_id: '7d1c',
  sampling_rate: 0,
};

describe("a job's log line, shown readably", () => {
  it("shows a Powertools entry as its time, the job, level, message and its own fields, without Lambda's context", () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: 'processed',
      ...CONTEXT,
      samples: 10,
      label: 'two words',
      summary: { mean: 0.5 },
    });
    expect(readableLogLine(line, 'process', NOW)).toBe(
      '09:59:58.123  process       INFO   processed  samples=10  label="two words"  summary={"mean":0.5}',
    );
  });

  it('shows a logged error as its name, message and the file and line it was thrown at', () => {
    const line = JSON.stringify({
      level: 'ERROR',
      message: 'failed',
      ...CONTEXT,
      error: {
        name: 'TypeError',
        location: '/p/jobs/process.ts:12',
        message: 'boom',
        stack: 'TypeError: boom\n    at /p/jobs/process.ts:12:9',
      },
    });
    expect(readableLogLine(line, 'process', NOW)).toBe(
      '09:59:58.123  process       ERROR  failed  error="TypeError: boom (/p/jobs/process.ts:12)"',
    );
  });

  it("leaves out the handler's per-record outcome entries: the runtime prints its own line for each record", () => {
    for (const message of Object.values(OUTCOME_LOG_MESSAGES)) {
      const line = JSON.stringify({ level: 'WARN', message, ...CONTEXT, messageId: 'm' });
      expect(readableLogLine(line, 'process', NOW)).toBeUndefined();
    }
  });

  it('leaves out EMF metrics lines', () => {
    const line = JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [] }, Succeeded: 1 });
    expect(readableLogLine(line, 'process', NOW)).toBeUndefined();
  });

  it('shows any other line as written, with the time it arrived and the job', () => {
    expect(readableLogLine('plain console.log output', 'process', NOW)).toBe(
      '10:00:00.000  process       plain console.log output',
    );
    expect(readableLogLine('{"not":"powertools"}', 'process', NOW)).toBe(
      '10:00:00.000  process       {"not":"powertools"}',
    );
    expect(readableLogLine('{broken', 'process', NOW)).toBe('10:00:00.000  process       {broken');
  });
});
