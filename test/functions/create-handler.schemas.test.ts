import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { failedIds, handlerUnderTest } from './handler-harness.ts';

const invoiceSchema = v.object({
  invoiceId: v.pipe(v.string(), v.minLength(1)),
  lines: v.array(v.object({ cents: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
  currency: v.optional(v.picklist(['EUR', 'USD']), 'EUR'),
});

describe('createHandler: payload schemas from validators other than zod', () => {
  it('hands a valibot job the schema output, defaults filled in', async () => {
    // Arrange
    const handler = vi.fn();
    const h = handlerUnderTest(defineJob({ name: 'invoice', schema: invoiceSchema, handler }));
    const record = h.record('{"invoiceId":"i-1","lines":[{"cents":250}]}');

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler.mock.calls[0]?.[0]).toEqual({
      invoiceId: 'i-1',
      lines: [{ cents: 250 }],
      currency: 'EUR',
    });
  });

  it('dead-letters a payload valibot refuses, each issue named by its path', async () => {
    // Arrange
    const handler = vi.fn();
    const h = handlerUnderTest(defineJob({ name: 'invoice', schema: invoiceSchema, handler }));
    const record = h.record('{"invoiceId":"i-2","lines":[{"cents":-1}],"currency":"JPY"}');

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'dead-lettered',
      errorName: 'PayloadValidationError',
      reason:
        'payload does not match the schema of job "invoice": lines.0.cents: Invalid value: Expected >=0 but received -1; currency: Invalid type: Expected ("EUR" | "USD") but received "JPY"',
    });
  });

  it('waits for a schema that validates asynchronously', async () => {
    // Arrange
    const taken = new Set(['alice']);
    const schema = z.object({ user: z.string() }).refine(async ({ user }) => !taken.has(user), {
      message: 'is taken',
      path: ['user'],
    });
    const handler = vi.fn();
    const h = handlerUnderTest(defineJob({ name: 'signup', schema, handler }));
    const free = h.record('{"user":"bob"}');
    const refused = h.record('{"user":"alice"}');

    // Act
    const response = await h.invoke([free, refused]);

    // Assert
    expect(failedIds(response)).toEqual([]);
    expect(handler).toHaveBeenCalledOnce();
    expect(h.loggedOutcome(refused.messageId)).toMatchObject({
      status: 'dead-lettered',
      reason: 'payload does not match the schema of job "signup": user: is taken',
    });
  });
});
