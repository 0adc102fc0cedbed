/**
 * Reading the JSON body of a request to an emulated AWS API (EventBridge,
 * Scheduler): at most `maxBytes`, a JSON object or nothing. What is wrong is
 * thrown as the API's own error, which `fail` makes.
 */
import type { IncomingMessage } from 'node:http';
import { isPlainObject } from '../core/event-pattern-operators.ts';

export type JsonBodyProblem = 'too-large' | 'not-json' | 'not-an-object';

export async function readJsonBody(
  request: IncomingMessage,
  options: {
    readonly maxBytes: number;
    readonly fail: (problem: JsonBodyProblem, message: string, cause?: unknown) => Error;
  },
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    sizeBytes += chunk.length;
    if (sizeBytes > options.maxBytes) {
      throw options.fail('too-large', `request body is over ${options.maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw options.fail('not-json', `request body is not JSON: ${(error as Error).message}`, error);
  }
  if (!isPlainObject(parsed)) {
    throw options.fail('not-an-object', 'request body must be a JSON object');
  }
  return parsed;
}
