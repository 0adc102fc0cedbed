import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.ts';

/** A JSON argument, `-` to read it from stdin, or `{}` when omitted. */
export async function readJson(argument: string | undefined, what: string): Promise<unknown> {
  const text = argument === '-' ? await readStdin() : (argument ?? '{}');
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new UsageError(
      `${what} is not valid JSON (${(error as Error).message}): ${JSON.stringify(preview)}`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Commander parsers: each names the value and what is allowed. */
export function integer(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) {
    throw new InvalidArgumentError(`"${value}" is not a whole number`);
  }
  return n;
}

export function positiveInteger(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of 1 or more`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`"${value}" is not a number over 0`);
  }
  return n;
}

export function idList(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('expected message ids separated by commas');
  return ids;
}

/** An instant with its zone: ISO 8601 ending in Z or an offset (2027-01-04T09:00+01:00). */
export function instant(value: string): Date {
  const at = new Date(value);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim()) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError(
      `"${value}" is not an instant with its zone; allowed: ISO 8601 ending in Z or an offset, e.g. 2027-01-04T09:00+01:00`,
    );
  }
  return at;
}

/** A delay: seconds as a whole number, or a duration with a unit (90s, 15m, 3d), checked by the client. */
export function delayArgument(value: string): number | string {
  return /^\d+$/.test(value.trim()) ? Number(value) : value;
}
