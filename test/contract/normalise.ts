import { DEAD_LETTER_ATTRIBUTES } from '../../core/dead-letter-attributes.ts';

/**
 * What may differ between two runs of the same records: message ids (each run
 * has its own messages), times and durations. Everything else must match.
 */
export interface Ids {
  /** A message id -> `#<position of the record in its batch>`. */
  readonly byMessageId: ReadonlyMap<string, string>;
}

/** Log timestamps, EMF timestamps and figures in milliseconds, durations, when a dead letter failed. */
const TIME_KEYS = new Set([
  'timestamp',
  'Timestamp',
  'durationMs',
  'AgeAtStart',
  'Duration',
  DEAD_LETTER_ATTRIBUTES.failedAt,
]);
const ID_KEYS = new Set(['messageId', 'itemIdentifier', DEAD_LETTER_ATTRIBUTES.messageId]);

/** A deep copy with ids replaced by positions and times by `<time>`. */
export function normalise<T>(value: T, ids: Ids): T {
  return walk(value, ids) as T;
}

function walk(value: unknown, ids: Ids, key?: string): unknown {
  if (key !== undefined && TIME_KEYS.has(key)) return '<time>';
  if (typeof value === 'string') {
    return key !== undefined && ID_KEYS.has(key) ? (ids.byMessageId.get(value) ?? value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, ids, k)]));
  }
  return value;
}

/** Log lines as JSON values (Powertools and EMF lines are JSON; any other line is kept as text). */
export function parseLines(lines: readonly string[]): unknown[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      // A line that is not JSON is compared as it is.
      return line;
    }
  });
}
