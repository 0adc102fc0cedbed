import { execFile } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import {
  CreateEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import { EVENTBRIDGE_MAX_ENTRY_BYTES } from '../../../core/limits.ts';
import { type EventBridgeEvent, ruleTargetBody } from '../../../core/messages.ts';
import { planApp } from '../../../core/plan.ts';
import {
  type EventBusEndpoint,
  type EventBusOptions,
  startEventBus,
} from '../../../local/eventbridge/endpoint.ts';
import { type LocalRule, RuleRegistry } from '../../../local/eventbridge/rules.ts';

const handler = async () => {};
const report = defineJob({
  name: 'report',
  schema: z.object({ reportId: z.string() }),
  handler,
  events: { source: ['bgjobs.test'], 'detail-type': ['ReportRequested'] },
});
const audit = defineJob({
  name: 'audit',
  schema: z.object({}),
  handler,
  events: { source: ['bgjobs.test'], 'detail-type': ['UserDeleted'] },
});
const nightly = defineJob({
  name: 'nightly',
  schema: z.object({}),
  handler,
  schedule: 'rate(1 day)',
});
const onDemand = defineJob({ name: 'on-demand', schema: z.object({}), handler });

const BUS = 'bgjobs--bus';
const BUS_ARN = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const running: EventBusEndpoint[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((bus) => bus.stop()));
});

/** A bus over the test jobs whose deliveries and reports are recorded. */
async function startTestBus(overrides: Partial<EventBusOptions> = {}) {
  const delivered: { job: string; body: string }[] = [];
  const matched: { rule: string; eventId: string }[] = [];
  const unmatched: EventBridgeEvent[] = [];
  const deliveryErrors: { rule: string; eventId: string; error: Error }[] = [];
  const rules = new RuleRegistry(planApp([report, audit, nightly, onDemand]));
  const bus = await startEventBus({
    rules,
    busName: BUS,
    port: 0,
    deliver: async (rule, event) => {
      // Like a real SendMessage, the message lands a little later: PutEvents must wait for it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivered.push({ job: rule.job.name, body: ruleTargetBody(event) });
    },
    onMatched: (rule, event) => matched.push({ rule: rule.name, eventId: event.id }),
    onUnmatched: (event) => unmatched.push(event),
    onDeliveryError: (rule: LocalRule, event, error) =>
      deliveryErrors.push({ rule: rule.name, eventId: event.id, error }),
    ...overrides,
  });
  running.push(bus);
  const client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return { bus, client, rules, delivered, matched, unmatched, deliveryErrors };
}

function entry(fields: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    EventBusName: BUS,
    Source: 'bgjobs.test',
    DetailType: 'ReportRequested',
    Detail: JSON.stringify({ reportId: 'r-1' }),
    ...fields,
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('the local event bus endpoint', () => {
  it('delivers the exact body a rule target sends to the matching job, and to no other job', async () => {
    const { client, delivered, matched } = await startTestBus();

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({
            Resources: ['arn:aws:s3:::reports/r-1'],
            Time: new Date('2026-11-27T08:00:00.789Z'),
          }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    const eventId = result.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.map((d) => d.job)).toEqual(['report']);
    const body = delivered[0]?.body ?? '';
    const event = JSON.parse(body);
    expect(event).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'ReportRequested',
      source: 'bgjobs.test',
      account: '000000000000',
      time: '2026-11-27T08:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::reports/r-1'],
      detail: { reportId: 'r-1' },
    });
    // The bytes, not just the values: EventBridge's key order.
    expect(body).toBe(JSON.stringify(event));
    expect(Object.keys(event)[0]).toBe('version');
    expect(matched).toEqual([{ rule: 'bgjobs--report--events', eventId }]);
  });

  it('stamps an event without Time with the current time to the second', async () => {
    const { client, delivered } = await startTestBus();

    await client.send(new PutEventsCommand({ Entries: [entry()] }));

    const event = JSON.parse(delivered[0]?.body ?? '{}');
    expect(event.time).toMatch(EVENT_TIME);
    expect(Math.abs(Date.parse(event.time) - Date.now())).toBeLessThan(5_000);
    expect(event.resources).toEqual([]);
  });

  it('accepts the bus as an ARN', async () => {
    const { client, delivered } = await startTestBus();

    const result = await client.send(
      new PutEventsCommand({ Entries: [entry({ EventBusName: BUS_ARN })] }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(delivered.map((d) => d.job)).toEqual(['report']);
  });

  it('reports an event that matches no rule through onUnmatched and delivers nothing', async () => {
    const { client, delivered, unmatched } = await startTestBus();

    const result = await client.send(
      new PutEventsCommand({ Entries: [entry({ DetailType: 'NobodyListens' })] }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(delivered).toEqual([]);
    expect(unmatched.map((event) => event.id)).toEqual([result.Entries?.[0]?.EventId]);
    expect(unmatched[0]?.['detail-type']).toBe('NobodyListens');
  });

  it('answers every entry in order, failing only the invalid ones with PutEvents error codes', async () => {
    const { client, delivered } = await startTestBus();

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: '{"reportId":"first"}' }),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: '{not json' }),
          entry({ Detail: '[1,2]' }),
          entry({ EventBusName: 'no-such-bus' }),
          entry({ Detail: JSON.stringify({ blob: 'x'.repeat(EVENTBRIDGE_MAX_ENTRY_BYTES) }) }),
          entry({ DetailType: 'UserDeleted', Detail: '{}' }),
          entry({ Detail: '{"reportId":"last"}' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(7);
    const entries = result.Entries ?? [];
    expect(entries.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'ResourceNotFoundException',
      'InvalidArgument',
      'ok',
      'ok',
    ]);
    expect(entries[1]?.ErrorMessage).toContain('Source is a required argument');
    expect(entries[2]?.ErrorMessage).toContain('DetailType is a required argument');
    expect(entries[3]?.ErrorMessage).toContain('Detail is a required argument');
    expect(entries[5]?.ErrorMessage).toBe(
      'Detail is malformed: it must be a JSON object; got an array',
    );
    expect(entries[6]?.ErrorMessage).toContain('Event bus no-such-bus does not exist');
    expect(entries[7]?.ErrorMessage).toMatch(
      new RegExp(`^Entry size is \\d+ bytes; allowed: at most ${EVENTBRIDGE_MAX_ENTRY_BYTES}`),
    );
    for (const failed of entries.filter((e) => e.ErrorCode)) expect(failed.EventId).toBeUndefined();
    expect(delivered.map((d) => [d.job, JSON.parse(d.body).detail])).toEqual([
      ['report', { reportId: 'first' }],
      ['audit', {}],
      ['report', { reportId: 'last' }],
    ]);
  });

  it('rejects a call of more than 10 entries with ValidationException and delivers none of them', async () => {
    const { client, delivered } = await startTestBus();

    const error = await rejectionOf(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('Member must have length less than or equal to 10; got 11');
    expect(delivered).toEqual([]);
  });

  it('keeps an entry successful when its delivery rejects and reports the rejection through onDeliveryError', async () => {
    const { client, deliveryErrors } = await startTestBus({
      deliver: async () => {
        throw new Error('queue bgjobs--report does not exist');
      },
    });

    const result = await client.send(new PutEventsCommand({ Entries: [entry()] }));

    expect(result.FailedEntryCount).toBe(0);
    expect(deliveryErrors).toEqual([
      {
        rule: 'bgjobs--report--events',
        eventId: result.Entries?.[0]?.EventId,
        error: new Error('queue bgjobs--report does not exist'),
      },
    ]);
  });

  it('delivers nothing to a disabled rule, and delivers again once the rule is enabled', async () => {
    const { client, rules, delivered, unmatched } = await startTestBus();
    const rule = { Name: 'bgjobs--report--events', EventBusName: BUS };

    await client.send(new DisableRuleCommand(rule));
    await client.send(new PutEventsCommand({ Entries: [entry()] }));

    expect(rules.get('bgjobs--report--events')?.state).toBe('DISABLED');
    expect(delivered).toEqual([]);
    expect(unmatched).toHaveLength(1);

    await client.send(new EnableRuleCommand(rule));
    await client.send(new PutEventsCommand({ Entries: [entry()] }));

    expect(rules.get('bgjobs--report--events')?.state).toBe('ENABLED');
    expect(delivered.map((d) => d.job)).toEqual(['report']);
  });

  it('lists the event rules of the stack bus with their pattern as a JSON string', async () => {
    const { client } = await startTestBus();

    const result = await client.send(new ListRulesCommand({ EventBusName: BUS }));

    expect(result.Rules).toEqual([
      {
        Name: 'bgjobs--audit--events',
        Arn: 'arn:aws:events:us-east-1:000000000000:rule/bgjobs--bus/bgjobs--audit--events',
        EventPattern: JSON.stringify(audit.events),
        State: 'ENABLED',
        Description: 'Starts the bgjobs job "audit" on matching events',
        EventBusName: BUS,
      },
      {
        Name: 'bgjobs--report--events',
        Arn: 'arn:aws:events:us-east-1:000000000000:rule/bgjobs--bus/bgjobs--report--events',
        EventPattern: JSON.stringify(report.events),
        State: 'ENABLED',
        Description: 'Starts the bgjobs job "report" on matching events',
        EventBusName: BUS,
      },
    ]);
    const prefixed = await client.send(
      new ListRulesCommand({ EventBusName: BUS_ARN, NamePrefix: 'bgjobs--rep' }),
    );
    expect(prefixed.Rules?.map((r) => r.Name)).toEqual(['bgjobs--report--events']);
  });

  it('lists the schedule rules on the default bus', async () => {
    const { client } = await startTestBus();

    const result = await client.send(new ListRulesCommand({}));

    expect(result.Rules).toEqual([
      {
        Name: 'bgjobs--nightly--schedule',
        Arn: 'arn:aws:events:us-east-1:000000000000:rule/bgjobs--nightly--schedule',
        ScheduleExpression: 'rate(1 day)',
        State: 'ENABLED',
        Description: 'Starts the bgjobs job "nightly" on rate(1 day) (UTC)',
        EventBusName: 'default',
      },
    ]);
  });

  it('describes a rule with the fields of DescribeRule', async () => {
    const { client } = await startTestBus();

    const { $metadata, ...rule } = await client.send(
      new DescribeRuleCommand({ Name: 'bgjobs--report--events', EventBusName: BUS }),
    );

    expect($metadata.httpStatusCode).toBe(200);
    expect(rule).toEqual({
      Name: 'bgjobs--report--events',
      Arn: 'arn:aws:events:us-east-1:000000000000:rule/bgjobs--bus/bgjobs--report--events',
      EventPattern: JSON.stringify(report.events),
      State: 'ENABLED',
      Description: 'Starts the bgjobs job "report" on matching events',
      EventBusName: BUS,
      CreatedBy: '000000000000',
    });
  });

  it('answers ResourceNotFoundException for a rule or bus that does not exist', async () => {
    const { client } = await startTestBus();

    const unknown = await rejectionOf(
      client.send(new DescribeRuleCommand({ Name: 'bgjobs--nope--events', EventBusName: BUS })),
    );
    // An event rule is not on the default bus, which is where a call without EventBusName looks.
    const wrongBus = await rejectionOf(
      client.send(new EnableRuleCommand({ Name: 'bgjobs--report--events' })),
    );
    const noBus = await rejectionOf(client.send(new ListRulesCommand({ EventBusName: 'nope' })));

    expect(unknown.name).toBe('ResourceNotFoundException');
    expect(unknown.message).toBe(
      'Rule bgjobs--nope--events does not exist on EventBus bgjobs--bus.',
    );
    expect(wrongBus.name).toBe('ResourceNotFoundException');
    expect(wrongBus.message).toBe(
      'Rule bgjobs--report--events does not exist on EventBus default.',
    );
    expect(noBus.name).toBe('ResourceNotFoundException');
    expect(noBus.message).toBe('Event bus nope does not exist.');
  });

  it('answers UnknownOperationException for an operation it does not offer', async () => {
    const { client } = await startTestBus();

    const error = await rejectionOf(client.send(new CreateEventBusCommand({ Name: 'other' })));

    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toContain('AWSEvents.CreateEventBus');
  });

  it('answers a body that is not JSON with a JSON error of the EventBridge protocol', async () => {
    const { bus } = await startTestBus();

    const response = await fetch(bus.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSEvents.PutEvents',
      },
      body: '{"Entries": [',
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('SerializationException');
    expect(body.message).toMatch(/^request body is not JSON/);
  });

  it('works with aws events put-events from the AWS CLI', async () => {
    const { bus, delivered } = await startTestBus();
    const entries = [
      {
        Source: 'bgjobs.test',
        DetailType: 'ReportRequested',
        Detail: '{"reportId":"from-cli"}',
        EventBusName: BUS,
        Time: '2026-11-27T08:00:00Z',
      },
    ];

    const { stdout } = await promisify(execFile)(
      'aws',
      [
        'events',
        'put-events',
        '--endpoint-url',
        bus.endpoint,
        '--entries',
        JSON.stringify(entries),
        '--output',
        'json',
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PROFILE: undefined,
          AWS_SESSION_TOKEN: undefined,
        },
      },
    );

    const output = JSON.parse(stdout);
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    const event = JSON.parse(delivered[0]?.body ?? '{}');
    expect(event.id).toBe(output.Entries[0].EventId);
    expect(event.time).toBe('2026-11-27T08:00:00Z');
    expect(event.detail).toEqual({ reportId: 'from-cli' });
  });

  it('rejects a port in use with an error that names the port', async () => {
    const { bus } = await startTestBus();

    const error = await rejectionOf(startTestBus({ port: bus.port }));

    expect(error.message).toBe(`event bus endpoint: port ${bus.port} on 127.0.0.1 is in use`);
  });

  it('listens on 127.0.0.1 only', async () => {
    const { bus } = await startTestBus();
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a?.address ?? '');

    expect(new URL(bus.endpoint).hostname).toBe('127.0.0.1');
    expect(await connectionResult('127.0.0.1', bus.port)).toBe('connected');
    for (const address of others) {
      expect(await connectionResult(address, bus.port)).toBe('ECONNREFUSED');
    }
  });

  it('frees its port on stop', async () => {
    const { bus } = await startTestBus();

    await bus.stop();

    expect(await connectionResult('127.0.0.1', bus.port)).toBe('ECONNREFUSED');
    await expect(canListen(bus.port)).resolves.toBe(true);
  });
});

function connectionResult(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}
