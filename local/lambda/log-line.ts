import { OUTCOME_LOG_MESSAGES } from '../../functions/log-outcome.ts';
import { clock } from './outcome-line.ts';

/** Keys Powertools adds to every line (the Lambda context and its own settings): not shown. */
const CONTEXT_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);
const OUTCOME_MESSAGES = new Set<string>(Object.values(OUTCOME_LOG_MESSAGES));
const BARE = /^[\w.:/@+-]+$/;

/**
 * One readable line for a line a job's function wrote, as CloudWatch would get
 * it: a Powertools JSON entry becomes time, job, level, message and its own
 * fields as `key=value`; any other line is shown as written. Undefined for
 * what the runtime already shows or shows elsewhere: the handler's per-record
 * outcome entries (the runtime prints its own line for each record) and EMF
 * metrics (the dashboard has the figures). `--json-logs` shows them all raw.
 */
export function readableLogLine(line: string, job: string, now: Date): string | undefined {
  const entry = parseObject(line);
  if (entry === undefined) return `${clock(now)}  ${job.padEnd(12)}  ${line}`.trimEnd();
  if ('_aws' in entry) return undefined;
  if (typeof entry.level !== 'string' || typeof entry.message !== 'string') {
    return `${clock(now)}  ${job.padEnd(12)}  ${line}`;
  }
  if (OUTCOME_MESSAGES.has(entry.message)) return undefined;
  const at = typeof entry.timestamp === 'string' ? new Date(entry.timestamp) : now;
  const fields = Object.entries(entry)
    .filter(([key]) => !CONTEXT_KEYS.has(key))
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  return [
    clock(Number.isNaN(at.getTime()) ? now : at),
    job.padEnd(12),
    entry.level.padEnd(5),
    entry.message,
    ...fields,
  ]
    .join('  ')
    .trimEnd();
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // Not JSON after all (a console.log of some text): shown as written.
    return undefined;
  }
}

/** Strings without spaces as they are, errors as `Name: message (file:line)`, the rest as compact JSON. */
function fieldValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  if (isLoggedError(value)) {
    return JSON.stringify(`${value.name}: ${value.message} (${value.location})`);
  }
  return JSON.stringify(value) ?? String(value);
}

/** How Powertools logs an Error: name, message, stack, and `location`, the file and line it was thrown at. */
function isLoggedError(
  value: unknown,
): value is { name: string; message: string; location: string } {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    typeof v.message === 'string' &&
    typeof v.location === 'string' &&
    typeof v.stack === 'string'
  );
}
