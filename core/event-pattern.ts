/**
 * Amazon EventBridge event patterns, validated and matched locally so that a job's `events`
 * filter behaves the same in `npm start` as on a deployed event bus.
 * See "Amazon EventBridge event patterns" and "Content filtering in Amazon EventBridge event patterns".
 */
import {
  existsOperand,
  isPlainObject,
  operatorMatches,
  operatorProblems,
} from './event-pattern-operators.ts';

export type EventPattern = { readonly [key: string]: unknown }; // JSON object

const OR_KEY = '$or';

/** Returns every problem with the pattern as a human-readable string naming the JSON path, e.g. `detail.priority: numeric needs pairs of an operator (<, <=, =, >, >=) and a number`. Empty array = valid. */
export function validateEventPattern(pattern: unknown): string[] {
  if (!isPlainObject(pattern)) return ['the pattern must be a JSON object'];
  if (Object.keys(pattern).length === 0) return ['the pattern must not be empty'];
  // One bad operator repeated in a leaf array is one problem to fix, not several.
  return [...new Set(objectProblems(pattern, ''))];
}

/** True when the event (a full EventBridge event object: version, id, detail-type, source, account, time, region, resources, detail) matches. Assumes a pattern that validateEventPattern accepted. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isPlainObject(event) && fieldsMatch(pattern, event);
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function objectProblems(pattern: Record<string, unknown>, path: string): string[] {
  return Object.entries(pattern).flatMap(([key, value]) => {
    const fieldPath = joinPath(path, key);
    if (key === OR_KEY) return orProblems(value, fieldPath);
    if (Array.isArray(value)) return leafProblems(value, fieldPath);
    if (isPlainObject(value)) return nestedProblems(value, fieldPath);
    return [`${fieldPath}: must be an array of values to match or a nested object`];
  });
}

function nestedProblems(pattern: Record<string, unknown>, path: string): string[] {
  if (Object.keys(pattern).length === 0) return [`${path}: must not be an empty object`];
  return objectProblems(pattern, path);
}

function orProblems(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length < 2) {
    return [`${path}: must be an array of at least 2 pattern objects`];
  }
  return value.flatMap((branch, index) => {
    const branchPath = `${path}[${index}]`;
    if (!isPlainObject(branch)) return [`${branchPath}: must be a pattern object`];
    return nestedProblems(branch, branchPath);
  });
}

function leafProblems(values: unknown[], path: string): string[] {
  if (values.length === 0) return [`${path}: must not be an empty array`];
  return values.flatMap((value) =>
    leafValueProblems(value).map((problem) => `${path}: ${problem}`),
  );
}

function leafValueProblems(value: unknown): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : ['numbers must be finite'];
  if (isPlainObject(value)) return operatorProblems(value);
  return [
    `${Array.isArray(value) ? 'an array' : typeof value} cannot be matched; use a string, number, boolean, null or an operator object`,
  ];
}

/** Every field of the pattern (AND) against one event object; anything else has no fields. */
function fieldsMatch(pattern: Record<string, unknown>, node: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === OR_KEY && Array.isArray(expected)) {
      return expected.some((branch) => isPlainObject(branch) && fieldsMatch(branch, node));
    }
    const value = isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(expected)) return leafMatches(expected, leafValues(value));
    return isPlainObject(expected) && nestedMatches(expected, value);
  });
}

// A nested pattern must match within a single element of an event array, so fields taken from
// different elements never combine (EventBridge's array-consistent matching).
function nestedMatches(pattern: Record<string, unknown>, value: unknown): boolean {
  if (!Array.isArray(value)) return fieldsMatch(pattern, value);
  const elements = value.flat(Number.POSITIVE_INFINITY);
  if (elements.length === 0) return fieldsMatch(pattern, undefined);
  return elements.some((element) => fieldsMatch(pattern, element));
}

// Only leaves count: an object (or an array holding only objects) is treated as absent, which is
// why the docs' `exists: false` matches a field whose value is an object.
function leafValues(value: unknown): unknown[] {
  const values = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  return values.filter((item) => item !== undefined && !isPlainObject(item));
}

function leafMatches(expected: unknown[], values: unknown[]): boolean {
  return expected.some((wanted) => {
    if (!isPlainObject(wanted)) return values.includes(wanted);
    const exists = existsOperand(wanted);
    if (exists !== undefined) return exists === values.length > 0;
    return values.some((value) => operatorMatches(wanted, value));
  });
}
