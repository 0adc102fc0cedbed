/**
 * A job's payload schema is any Standard Schema (https://standardschema.dev):
 * zod 4, zod/mini, valibot, arktype... bgjobs validates only through
 * `~standard.validate` and reports each issue as `path: message`, the same
 * text wherever a payload is checked (handler, client, CLI, emit, defineJob).
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

export type PayloadSchema = StandardSchemaV1;
/** What a producer sends (the schema's input). */
export type PayloadInput<Schema extends PayloadSchema> = StandardSchemaV1.InferInput<Schema>;
/** What the handler receives (the schema's output: defaults filled in, transforms applied). */
export type PayloadOutput<Schema extends PayloadSchema> = StandardSchemaV1.InferOutput<Schema>;

/** A checked payload: the schema's output, or every issue as `path: message`. */
export type CheckedPayload =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: string[] };

/** True for a Standard Schema of version 1: an object whose `~standard.validate` is a function. */
export function isPayloadSchema(value: unknown): value is PayloadSchema {
  const props = (value as Partial<PayloadSchema> | null | undefined)?.['~standard'];
  return props?.version === 1 && typeof props.validate === 'function';
}

/**
 * Validates a payload. A schema that validates synchronously (the usual case:
 * no async refinements) gives the result at once, without a promise per record.
 *
 * @param root - how an issue at the root of the value is named: `(payload)`, or `(detail)` for an event
 */
export function checkPayload(
  schema: PayloadSchema,
  value: unknown,
  root = '(payload)',
): CheckedPayload | Promise<CheckedPayload> {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise
    ? result.then((settled) => checked(settled, root))
    : checked(result, root);
}

/**
 * Validates a payload where bgjobs checks before sending (client, CLI, emit,
 * defineJob): a schema that only validates asynchronously fails with an issue
 * saying so, since these checks give their answer at once.
 */
export function checkPayloadNow(
  schema: PayloadSchema,
  value: unknown,
  root = '(payload)',
): CheckedPayload {
  const result = checkPayload(schema, value, root);
  if (!(result instanceof Promise)) return result;
  // The promise is settled by nobody else: keep a rejection from going unhandled.
  result.catch(() => {});
  return {
    ok: false,
    issues: [
      `${root}: the schema validates asynchronously; allowed here: a schema that validates synchronously (no async refinements)`,
    ],
  };
}

function checked(result: StandardSchemaV1.Result<unknown>, root: string): CheckedPayload {
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map((issue) => issueText(issue, root)) };
}

/** `items.0.sku: Invalid input`; an issue without a path is named by `root`. */
export function issueText(issue: StandardSchemaV1.Issue, root = '(payload)'): string {
  const path = (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
  return `${path.length > 0 ? path.join('.') : root}: ${issue.message}`;
}
