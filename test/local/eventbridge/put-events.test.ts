import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import type { EventBridgeEvent } from '../../../core/messages.ts';
import { planApp } from '../../../core/plan.ts';
import { type EventBusEndpoint, startEventBus } from '../../../local/eventbridge/endpoint.ts';
import { RuleRegistry } from '../../../local/eventbridge/rules.ts';

const BUS = 'bgjobs--bus';
const job = defineJob({
  name: 'report',
  schema: z.object({}).passthrough(),
  handler: async () => {},
  events: { source: ['bgjobs.test'] },
});

let bus: EventBusEndpoint;
let client: EventBridgeClient;
const delivered: EventBridgeEvent[] = [];
beforeAll(async () => {
  bus = await startEventBus({
    rules: new RuleRegistry(planApp([job])),
    busName: BUS,
    port: 0,
    deliver: async (_rule, event) => {
      delivered.push(event);
    },
    onUnmatched: () => {},
  });
  client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(() => bus?.stop());

function entry(fields: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    EventBusName: BUS,
    Source: 'bgjobs.test',
    DetailType: 'ReportRequested',
    Detail: '{"reportId":"r-1"}',
    ...fields,
  };
}

/** `{"a":{"a":...{}}}`, `levels` objects deep. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const awsCli = (args: string[]) =>
  promisify(execFile)('aws', ['events', 'put-events', '--endpoint-url', bus.endpoint, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
    },
  });

describe('PutEvents refuses the entries EventBridge refuses', () => {
  it('fails each refused entry with AWS error code and delivers only the others', async () => {
    const before = delivered.length;

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: 'aws.s3' }),
          entry({ DetailType: 'x'.repeat(129) }),
          entry({ DetailType: 'x'.repeat(128), Detail: '{"n":1}' }),
          entry({ Detail: nested(1001) }),
          entry({ Detail: nested(1000) }),
          entry({ Detail: '{"big":9223372036854775808}' }),
          entry({ Detail: '{"small":-9223372036854775809}' }),
          entry({ Detail: '{"edge":-9223372036854775808,"float":1e30}' }),
        ],
      }),
    );

    const answers = (result.Entries ?? []).map((e) => [e.ErrorCode ?? 'ok', e.ErrorMessage]);
    expect(answers).toEqual([
      ['NotAuthorizedForSourceException', 'Not authorized for the source.'],
      [
        'InvalidArgument',
        'Parameter DetailType is not valid. Reason: DetailType has 129 characters; allowed: at most 128',
      ],
      ['ok', undefined],
      [
        'MalformedDetail',
        'Detail is malformed: it is nested 1001 levels deep; EventBridge processes at most 1000',
      ],
      ['ok', undefined],
      [
        'MalformedDetail',
        'Detail is malformed: the integer 9223372036854775808 is outside the range EventBridge accepts (-9223372036854775808 to 9223372036854775807)',
      ],
      ['MalformedDetail', expect.stringContaining('the integer -9223372036854775809 is outside')],
      ['ok', undefined],
    ]);
    expect(result.FailedEntryCount).toBe(5);
    expect(delivered.length - before).toBe(3);
  });

  it('refuses the whole request with ValidationException for an EventBusName the API model refuses, delivering nothing', async () => {
    const before = delivered.length;

    const error = await rejectionOf(
      client.send(new PutEventsCommand({ Entries: [entry(), entry({ EventBusName: 'my bus!' })] })),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'my bus!' at 'entries.2.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+",
    );
    expect(delivered.length).toBe(before);
  });

  it('counts every constraint a request breaks in one ValidationException', async () => {
    const error = await rejectionOf(
      client.send(
        new PutEventsCommand({
          Entries: [
            entry({ EventBusName: 'x'.repeat(1601) }),
            entry({ TraceHeader: 't'.repeat(501) }),
          ],
        }),
      ),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^2 validation errors detected: /);
    expect(error.message).toContain(
      "at 'entries.1.member.eventBusName' failed to satisfy constraint: Member must have length less than or equal to 1600",
    );
    expect(error.message).toContain(
      "at 'entries.2.member.traceHeader' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
  });

  it('refuses a field of the wrong type with SerializationException, naming it', async () => {
    const response = await fetch(bus.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSEvents.PutEvents',
      },
      body: JSON.stringify({ Entries: [{ ...entry(), Source: 42 }] }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'SerializationException',
      message: 'Entries[0].Source must be a string; got 42',
    });
  });

  it('gives the same per-entry errors to aws events put-events', async () => {
    const entries = [
      entry({ Source: 'aws.events' }),
      entry({ Detail: '[1,2]' }),
      entry({ Detail: nested(1001) }),
      entry(),
    ];

    const { stdout } = await awsCli(['--entries', JSON.stringify(entries), '--output', 'json']);

    const output = JSON.parse(stdout);
    expect(output.FailedEntryCount).toBe(3);
    expect(output.Entries.map((e: { ErrorCode?: string }) => e.ErrorCode ?? 'ok')).toEqual([
      'NotAuthorizedForSourceException',
      'MalformedDetail',
      'MalformedDetail',
      'ok',
    ]);
  });

  it('gives aws events put-events a ValidationException for a bus name the API model refuses', async () => {
    const error = (await rejectionOf(
      awsCli(['--entries', JSON.stringify([entry({ EventBusName: 'my bus!' })])]),
    )) as Error & { code: number; stderr: string };

    expect(error.code).toBe(255);
    expect(error.stderr).toContain(
      "An error occurred (ValidationException) when calling the PutEvents operation: 1 validation error detected: Value 'my bus!' at 'entries.1.member.eventBusName'",
    );
  });
});
