/**
 * EventBridge Scheduler's wire protocol (REST-JSON) as `@aws-sdk/client-scheduler` and
 * `aws scheduler ... --endpoint-url` speak it: the operation is the method and path
 * (`POST /schedules/{Name}`), options ride in the query string, bodies are JSON, timestamps
 * are epoch seconds. An error is its HTTP status, the `x-amzn-ErrorType` header and
 * `{"Message": ...}`, which the SDK raises as an exception of that name. SigV4 headers are
 * accepted and not checked.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BgjobsError } from '../../core/errors.ts';

const STATUS: Readonly<Record<SchedulerErrorCode, number>> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  InternalServerException: 500,
};

export type SchedulerErrorCode =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ConflictException'
  | 'InternalServerException';

/** An error Scheduler itself returns, with its code. */
export class SchedulerApiError extends BgjobsError {
  readonly code: SchedulerErrorCode;

  constructor(code: SchedulerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Guards memory only: a schedule's input is far smaller. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      throw new SchedulerApiError(
        'ValidationException',
        `request body is over ${MAX_REQUEST_BYTES} bytes`,
      );
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SchedulerApiError(
      'ValidationException',
      `request body is not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SchedulerApiError('ValidationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function sendResult(response: ServerResponse, result: unknown): void {
  send(response, 200, result, undefined);
}

/** A `SchedulerApiError` is the caller's (or a missing resource's); anything else is ours (500). */
export function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof SchedulerApiError) {
    send(response, STATUS[error.code], { Message: error.message }, error.code);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    send(response, 500, { Message: message }, 'InternalServerException');
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  errorType: string | undefined,
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType && { 'x-amzn-ErrorType': errorType }),
  });
  response.end(payload);
}
