import {
  CreateQueueCommand,
  DeleteQueueCommand,
  KmsAccessDenied,
  RequestThrottled,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyTargetError } from '../../../local/eventbridge/target-errors.ts';
import { type SqsServer, startSqsServer } from '../../../local/sqs/server.ts';
import { LOCAL_CREDENTIALS } from '../../e2e/harness.ts';

let server: SqsServer;
let sqs: SQSClient;
beforeAll(async () => {
  server = await startSqsServer({ port: 0, dataDir: undefined });
  sqs = sqsAt(server.endpoint);
});
afterAll(() => server?.stop());

function sqsAt(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The error a real SendMessage gives. */
async function sendError(client: SQSClient, queueUrl: string, body: string): Promise<Error> {
  try {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected SendMessage to fail');
}

async function queue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  return created.QueueUrl ?? '';
}

describe('classifyTargetError on the errors the local SQS gives', () => {
  it('does not retry a deleted queue: NO_RESOURCE', async () => {
    const url = await queue('gone');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));

    const failure = classifyTargetError(await sendError(sqs, url, '{}'));

    expect(failure).toEqual({
      errorCode: 'NO_RESOURCE',
      errorMessage: 'QueueDoesNotExist: The specified queue does not exist.',
      retryable: false,
    });
  });

  it('does not retry a body the queue refuses for its size: INVALID_PARAMETER', async () => {
    const url = await queue('small', { MaximumMessageSize: '1024' });

    const failure = classifyTargetError(await sendError(sqs, url, 'x'.repeat(2000)));

    expect(failure.errorCode).toBe('INVALID_PARAMETER');
    expect(failure.retryable).toBe(false);
    expect(failure.errorMessage).toMatch(/^InvalidParameterValue: .*shorter than 1024 bytes/);
  });

  it('does not retry a body with characters SQS refuses: INVALID_PARAMETER', async () => {
    const url = await queue('strict');

    const failure = classifyTargetError(await sendError(sqs, url, 'bell \u0007'));

    expect(failure).toMatchObject({ errorCode: 'INVALID_PARAMETER', retryable: false });
    expect(failure.errorMessage).toMatch(/^InvalidMessageContents: /);
  });

  it('retries a connection nobody answers: SDK_CLIENT_ERROR', async () => {
    const stopped = await startSqsServer({ port: 0, dataDir: undefined });
    await stopped.stop();

    const failure = classifyTargetError(
      await sendError(sqsAt(stopped.endpoint), `${stopped.endpoint}/000000000000/q`, '{}'),
    );

    expect(failure).toMatchObject({ errorCode: 'SDK_CLIENT_ERROR', retryable: true });
    expect(failure.errorMessage).toContain('ECONNREFUSED');
  });
});

describe('classifyTargetError on errors SQS gives under load or failure', () => {
  const metadata = { $metadata: { httpStatusCode: 400 } };

  it('retries throttling: THROTTLING', () => {
    const error = new RequestThrottled({ message: 'Rate exceeded', ...metadata });
    expect(classifyTargetError(error)).toEqual({
      errorCode: 'THROTTLING',
      errorMessage: 'RequestThrottled: Rate exceeded',
      retryable: true,
    });
  });

  it('retries a server error: INTERNAL_ERROR', () => {
    const error = new SQSServiceException({
      name: 'InternalError',
      $fault: 'server',
      message: 'We encountered an internal error.',
      $metadata: { httpStatusCode: 500 },
    });
    expect(classifyTargetError(error)).toMatchObject({
      errorCode: 'INTERNAL_ERROR',
      retryable: true,
    });
  });

  it('retries a timeout: TIMEOUT', () => {
    const error = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    expect(classifyTargetError(error)).toMatchObject({ errorCode: 'TIMEOUT', retryable: true });
  });

  it('does not retry missing permissions: NO_PERMISSIONS', () => {
    const error = new KmsAccessDenied({ message: 'no kms:GenerateDataKey', ...metadata });
    expect(classifyTargetError(error)).toMatchObject({
      errorCode: 'NO_PERMISSIONS',
      retryable: false,
    });
  });
});
