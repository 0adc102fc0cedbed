import * as z from 'zod';
import { settingsSchema } from './settings.ts';

/**
 * The README's "Default settings" table, rendered from the settings schema so
 * that the documentation cannot drift from the defaults and limits in code.
 */
export function settingsTable(): string {
  const defaults = settingsSchema.parse({}) as Record<string, unknown>;
  const rows = Object.entries(settingsSchema.shape).map(([name, schema]) => {
    const described = schema as z.ZodType;
    return `| \`${name}\` | ${formatDefault(defaults[name])} | ${allowed(described)} | ${described.description ?? ''} |`;
  });
  return ['| setting | default | allowed | what it does |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

function formatDefault(value: unknown): string {
  return value === undefined ? 'derived' : `\`${literal(value)}\``;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([key, v]) => `${key}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return String(value);
}

function allowed(schema: z.ZodType): string {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) return `${inner.minValue}..${inner.maxValue}`;
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape)
      .map(([key, child]) => `${key}: ${allowed(child as z.ZodType)}`)
      .join('; ');
  }
  if (inner instanceof z.ZodEnum) return inner.options.join(' \\| ');
  if (inner instanceof z.ZodUnion) return 'true, false or options';
  if (inner instanceof z.ZodString) return 'text';
  if (inner instanceof z.ZodBoolean) return 'true, false';
  return '';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodOptional
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}
