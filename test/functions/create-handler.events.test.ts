import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import type { JobContext } from '../../core/job.ts';
import {
  eventBridgeEvent,
  onDemandBody,
  ruleTargetBody,
  scheduledEvent,
} from '../../core/messages.ts';
import { handlerUnderTest } from './handler-harness.ts';
import { ACCOUNT, REGION } from './sqs-event.ts';

const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/bgjobs--nightly-digest--schedule`;
const FIRED_AT = new Date('2025-01-01T03:00:00Z');

const orderSchema = z.object({ orderId: z.string(), totalCents: z.number().int() });

const orderPlaced = eventBridgeEvent({
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'OrderPlaced',
  source: 'shop.orders',
  account: ACCOUNT,
  time: '2025-01-01T11:59:58Z',
  region: REGION,
  resources: [],
  detail: { orderId: 'o-1042', totalCents: 4599 },
});

describe('createHandler: jobs started by EventBridge rules', () => {
  it('gives a scheduled job the event detail as payload and the schedule event as ctx.event', async () => {
    // Arrange
    const handler = vi.fn((_payload: { since?: string }, _ctx: JobContext) => {});
    const job = defineJob({
      name: 'nightly-digest',
      schedule: 'cron(0 3 * * ? *)',
      schema: z.object({ since: z.string().optional() }),
      handler,
    });
    const h = handlerUnderTest(job);
    const event = scheduledEvent({
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      time: FIRED_AT,
      account: ACCOUNT,
      region: REGION,
      ruleArn: RULE_ARN,
    });

    // Act
    const response = await h.invoke([h.record(ruleTargetBody(event))]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).toHaveBeenCalledTimes(1);
    const [payload, ctx] = handler.mock.calls[0] ?? expect.unreachable('handler not called');
    expect(payload).toEqual({});
    expect(ctx.event).toEqual({
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      source: 'aws.events',
      detailType: 'Scheduled Event',
      time: FIRED_AT,
      resources: [RULE_ARN],
    });
  });

  it('gives an event-driven job the event detail as payload', async () => {
    // Arrange
    const handler = vi.fn((_payload: z.output<typeof orderSchema>, _ctx: JobContext) => {});
    const job = defineJob({
      name: 'fulfil-order',
      events: { source: ['shop.orders'], 'detail-type': ['OrderPlaced'] },
      schema: orderSchema,
      handler,
    });
    const h = handlerUnderTest(job);

    // Act
    await h.invoke([h.record(ruleTargetBody(orderPlaced))]);

    // Assert
    const [payload, ctx] = handler.mock.calls[0] ?? expect.unreachable('handler not called');
    expect(payload).toEqual({ orderId: 'o-1042', totalCents: 4599 });
    expect(ctx.event).toMatchObject({
      id: orderPlaced.id,
      source: 'shop.orders',
      detailType: 'OrderPlaced',
      time: new Date('2025-01-01T11:59:58Z'),
    });
  });

  it('passes an on-demand body to a job with a rule unchanged, with no ctx.event', async () => {
    // Arrange
    const handler = vi.fn((_payload: z.output<typeof orderSchema>, _ctx: JobContext) => {});
    const job = defineJob({
      name: 'fulfil-order',
      events: { source: ['shop.orders'] },
      schema: orderSchema,
      handler,
    });
    const h = handlerUnderTest(job);

    // Act
    await h.invoke([h.record(onDemandBody({ orderId: 'o-7', totalCents: 100 }))]);

    // Assert
    const [payload, ctx] = handler.mock.calls[0] ?? expect.unreachable('handler not called');
    expect(payload).toEqual({ orderId: 'o-7', totalCents: 100 });
    expect(ctx.event).toBeUndefined();
  });

  it('does not unwrap an event for an on-demand job: the envelope fails the schema and is dead-lettered', async () => {
    // Arrange
    const handler = vi.fn();
    const job = defineJob({ name: 'fulfil-order', schema: orderSchema, handler });
    const h = handlerUnderTest(job);
    const record = h.record(ruleTargetBody(orderPlaced));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
    const [deadLetter] = h.deadLetters();
    expect(deadLetter?.MessageBody).toBe(record.body);
    expect(deadLetter?.MessageAttributes?.['bgjobs.error']?.StringValue).toBe(
      'PayloadValidationError',
    );
    expect(deadLetter?.MessageAttributes?.['bgjobs.reason']?.StringValue).toContain(
      'orderId: Invalid input: expected string, received undefined',
    );
  });
});
