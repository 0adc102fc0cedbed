/**
 * EventBridge's wire protocol (awsJson1_1) as the AWS SDKs and the AWS CLI speak it:
 * `POST /` with `X-Amz-Target: AWSEvents.<Operation>` and a JSON body; a JSON answer with the
 * same content type; an error as HTTP 400 with `{"__type": code, "message": ...}`.
 * SigV4 headers are accepted and not checked.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BgjobsError } from '../../core/errors.ts';
import { readJsonBody as readBody } from '../json-body.ts';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';
/** Guards memory only: ten entries at EventBridge's entry limit, JSON-escaped, fit well within it. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** An error EventBridge itself returns; the SDK raises it as an exception named `code`. */
export class EventBridgeApiError extends BgjobsError {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** `PutEvents` for `X-Amz-Target: AWSEvents.PutEvents`; undefined when the request is no API call. */
export function operationOf(request: IncomingMessage): string | undefined {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string') return undefined;
  return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

/** The request's JSON object: EventBridge answers a body it cannot read with these codes. */
export function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return readBody(request, {
    maxBytes: MAX_REQUEST_BYTES,
    fail: (problem, message, cause) =>
      new EventBridgeApiError(
        problem === 'too-large' ? 'ValidationException' : 'SerializationException',
        message,
        { cause },
      ),
  });
}

export function sendResult(response: ServerResponse, result: unknown): void {
  send(response, 200, result);
}

/** An `EventBridgeApiError` is the caller's fault (400); anything else is ours (500, which the SDK retries). */
export function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof EventBridgeApiError) {
    send(response, 400, { __type: error.code, message: error.message });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    send(response, 500, { __type: 'InternalException', message });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': AWS_JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

/** The optional string parameter `name`; a value of another type is a `SerializationException`, as on AWS. */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new EventBridgeApiError(
      'SerializationException',
      `${name} must be a string; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') {
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
