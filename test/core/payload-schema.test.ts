import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { defineJob } from '../../core/define-job.ts';
import type { InvalidJobDefinitionError } from '../../core/errors.ts';
import type { PayloadOf } from '../../core/job.ts';
import { checkPayload, checkPayloadNow, isPayloadSchema } from '../../core/payload-schema.ts';

/** The same order schema in four validators: an id, and items with a positive quantity. */
const schemas = {
  zod: z.object({
    orderId: z.string().min(1),
    items: z.array(z.object({ quantity: z.number().int().positive() })),
    note: z.string().default(''),
  }),
  'zod/mini': zm.object({
    orderId: zm.string().check(zm.minLength(1)),
    items: zm.array(zm.object({ quantity: zm.number().check(zm.int(), zm.positive()) })),
    note: zm._default(zm.string(), ''),
  }),
  valibot: v.object({
    orderId: v.pipe(v.string(), v.minLength(1)),
    items: v.array(v.object({ quantity: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
    note: v.optional(v.string(), ''),
  }),
  arktype: type({
    orderId: 'string > 0',
    items: type({ quantity: 'number.integer > 0' }).array(),
    note: 'string = ""',
  }),
} as const;

describe('payload schemas from any Standard Schema validator', () => {
  for (const [vendor, schema] of Object.entries(schemas)) {
    it(`${vendor}: passes a valid payload on with the schema's defaults`, () => {
      expect(isPayloadSchema(schema)).toBe(true);
      expect(checkPayloadNow(schema, { orderId: 'o-1', items: [{ quantity: 2 }] })).toEqual({
        ok: true,
        value: { orderId: 'o-1', items: [{ quantity: 2 }], note: '' },
      });
    });

    it(`${vendor}: names each issue by its path, as "path: message"`, () => {
      const checked = checkPayloadNow(schema, { orderId: 'o-1', items: [{ quantity: 0 }] });
      expect(checked.ok).toBe(false);
      const issues = checked.ok ? [] : checked.issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/^items\.0\.quantity: \S/);
    });

    it(`${vendor}: defines a job, checking its example against the schema`, () => {
      expect(() =>
        defineJob({
          name: 'order',
          schema,
          handler: () => {},
          example: { orderId: '', items: [] },
        }),
      ).toThrow(/example does not match the schema: orderId: \S/);
    });
  }

  it('names an issue at the root of the value "(payload)", or as the caller asks', () => {
    expect(checkPayloadNow(schemas.valibot, 'not an object')).toMatchObject({
      ok: false,
      issues: [expect.stringMatching(/^\(payload\): /)],
    });
    expect(checkPayloadNow(schemas.zod, 7, '(detail)')).toMatchObject({
      ok: false,
      issues: [expect.stringMatching(/^\(detail\): /)],
    });
  });

  it('writes zod issues as bgjobs always has: the path joined by dots, then the message', () => {
    expect(checkPayloadNow(schemas.zod, { orderId: 5, items: [] })).toEqual({
      ok: false,
      issues: ['orderId: Invalid input: expected string, received number'],
    });
  });

  it('gives a synchronous schema its answer at once, and waits for an asynchronous one', async () => {
    const slow = z.object({ id: z.string() }).refine(async ({ id }) => id !== 'taken', 'is taken');
    expect(checkPayload(schemas.zod, { orderId: 'o', items: [] })).not.toBeInstanceOf(Promise);
    await expect(checkPayload(slow, { id: 'taken' })).resolves.toEqual({
      ok: false,
      issues: ['(payload): is taken'],
    });
  });

  it('refuses an asynchronous schema where bgjobs checks before sending, saying why', () => {
    const slow = z.object({ id: z.string() }).refine(async () => true);
    expect(checkPayloadNow(slow, { id: 'a' })).toEqual({
      ok: false,
      issues: [
        '(payload): the schema validates asynchronously; allowed here: a schema that validates synchronously (no async refinements)',
      ],
    });
  });

  it('refuses a schema that is not a Standard Schema', () => {
    try {
      defineJob({
        name: 'order',
        schema: { parse: () => ({}) } as unknown as StandardSchemaV1,
        handler: () => {},
      });
      expect.unreachable('defineJob accepted an object without ~standard');
    } catch (error) {
      expect((error as InvalidJobDefinitionError).violations).toEqual([
        'schema must be a Standard Schema (zod, zod/mini, valibot, arktype...: an object with ~standard.validate)',
      ]);
    }
  });

  it('infers the handler payload from the output and what producers send from the input', () => {
    const job = defineJob({
      name: 'order',
      schema: schemas.valibot,
      handler: (payload) => {
        expectTypeOf(payload.note).toEqualTypeOf<string>();
      },
    });
    expectTypeOf<PayloadOf<typeof job>>().toEqualTypeOf<{
      orderId: string;
      items: { quantity: number }[];
      note?: string | undefined;
    }>();
  });
});
