/**
 * The operator objects that may appear inside an event pattern's leaf arrays, such as
 * `{ "prefix": "us-" }`: checking their arguments, and testing them against one event value.
 * Semantics follow "Content filtering in Amazon EventBridge event patterns".
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Ip {
  readonly bits: 32 | 128;
  readonly address: bigint;
}

const IGNORE_CASE = 'equals-ignore-case';
const NUMERIC_PAIRS =
  'numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]';
const ANYTHING_BUT_FORMS =
  'anything-but needs a string, a number, a non-empty array of only strings or only numbers, ' +
  'or an object with one of prefix, suffix, equals-ignore-case, wildcard';

const COMPARISONS: Record<string, (value: number, bound: number) => boolean> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '=': (value, bound) => value === bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const CHECKS: Record<string, (argument: unknown) => string[]> = {
  prefix: (argument) => affixProblems('prefix', argument),
  suffix: (argument) => affixProblems('suffix', argument),
  [IGNORE_CASE]: (argument) => stringProblems(IGNORE_CASE, argument),
  wildcard: (argument) => wildcardProblems('wildcard', argument),
  'anything-but': anythingButProblems,
  numeric: numericProblems,
  exists: (argument) => (typeof argument === 'boolean' ? [] : ['exists must be true or false']),
  cidr: (argument) =>
    typeof argument === 'string' && parseCidr(argument)
      ? []
      : ['cidr needs an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/24"'],
};

const TESTS: Record<string, (argument: unknown, value: unknown) => boolean> = {
  prefix: (argument, value) => affixMatches(argument, value, (v, a) => v.startsWith(a)),
  suffix: (argument, value) => affixMatches(argument, value, (v, a) => v.endsWith(a)),
  [IGNORE_CASE]: (argument, value) =>
    typeof value === 'string' && foldCase(value) === foldCase(String(argument)),
  wildcard: (argument, value) =>
    typeof value === 'string' && wildcardMatches(parseWildcard(String(argument)), value),
  'anything-but': anythingButMatches,
  numeric: numericMatches,
  cidr: cidrMatches,
};

/** Everything wrong with one operator object; empty when it is valid. */
export function operatorProblems(operator: Record<string, unknown>): string[] {
  const entries = Object.entries(operator);
  const [entry] = entries;
  if (entries.length !== 1 || !entry) {
    return ['an operator object needs exactly one key, e.g. { "prefix": "us-" }'];
  }
  const [name, argument] = entry;
  const check = Object.hasOwn(CHECKS, name) ? CHECKS[name] : undefined;
  return check ? check(argument) : [`unknown operator ${JSON.stringify(name)}`];
}

/** The `exists` operand, or undefined for other operators: exists is about presence, not a value. */
export function existsOperand(operator: Record<string, unknown>): boolean | undefined {
  return typeof operator.exists === 'boolean' ? operator.exists : undefined;
}

/** True when a validated operator object (other than exists) matches one leaf value of the event. */
export function operatorMatches(operator: Record<string, unknown>, value: unknown): boolean {
  const [entry] = Object.entries(operator);
  if (!entry || !Object.hasOwn(TESTS, entry[0])) return false;
  return TESTS[entry[0]]?.(entry[1], value) ?? false;
}

function stringProblems(name: string, argument: unknown): string[] {
  return typeof argument === 'string' ? [] : [`${name} must be a string`];
}

function affixProblems(name: string, argument: unknown): string[] {
  if (typeof argument === 'string' || ignoreCaseOperand(argument) !== undefined) return [];
  return [`${name} must be a string or { "${IGNORE_CASE}": string }`];
}

function ignoreCaseOperand(argument: unknown): string | undefined {
  if (!isPlainObject(argument) || Object.keys(argument).length !== 1) return undefined;
  const operand = argument[IGNORE_CASE];
  return typeof operand === 'string' ? operand : undefined;
}

// Lower-casing both sides is how "regardless of case" is read; Unicode case folding is close enough.
function foldCase(text: string): string {
  return text.toLowerCase();
}

function affixMatches(
  argument: unknown,
  value: unknown,
  test: (value: string, affix: string) => boolean,
): boolean {
  if (typeof value !== 'string') return false;
  if (typeof argument === 'string') return test(value, argument);
  const operand = ignoreCaseOperand(argument);
  return operand !== undefined && test(foldCase(value), foldCase(operand));
}

function anythingButProblems(argument: unknown): string[] {
  if (typeof argument === 'string' || typeof argument === 'number') return [];
  if (Array.isArray(argument)) {
    const allStrings = argument.every((item) => typeof item === 'string');
    const allNumbers = argument.every((item) => typeof item === 'number');
    return argument.length > 0 && (allStrings || allNumbers) ? [] : [ANYTHING_BUT_FORMS];
  }
  const [entry, ...rest] = isPlainObject(argument) ? Object.entries(argument) : [];
  if (!entry || rest.length > 0) return [ANYTHING_BUT_FORMS];
  const [name, operand] = entry;
  if (name === 'prefix' || name === 'suffix')
    return stringProblems(`anything-but ${name}`, operand);
  if (name !== IGNORE_CASE && name !== 'wildcard') return [ANYTHING_BUT_FORMS];
  const operands = Array.isArray(operand) ? operand : [operand];
  if (operands.length === 0 || !operands.every((item) => typeof item === 'string')) {
    return [`anything-but ${name} must be a string or a non-empty array of strings`];
  }
  return name === 'wildcard'
    ? operands.flatMap((item) => wildcardProblems('anything-but wildcard', item))
    : [];
}

// Anything-but matches every present value outside the set, so a null or a number is never
// excluded by a string-only test such as prefix.
function anythingButMatches(argument: unknown, value: unknown): boolean {
  if (!isPlainObject(argument)) {
    const excluded = Array.isArray(argument) ? argument : [argument];
    return !excluded.includes(value);
  }
  const [entry] = Object.entries(argument);
  if (!entry || typeof value !== 'string') return true;
  const [name, operand] = entry;
  const operands = Array.isArray(operand) ? operand : [operand];
  return !operands.some((item) => TESTS[name]?.(item, value));
}

function numericProblems(argument: unknown): string[] {
  if (!Array.isArray(argument) || argument.length === 0 || argument.length % 2 !== 0) {
    return [NUMERIC_PAIRS];
  }
  for (let index = 0; index < argument.length; index += 2) {
    const bound = argument[index + 1];
    if (!Object.hasOwn(COMPARISONS, String(argument[index])) || typeof bound !== 'number') {
      return [NUMERIC_PAIRS];
    }
  }
  if (argument.length > 4) return ['numeric allows at most two comparisons'];
  if (argument.length === 2) return [];
  const [low, lowBound, high, highBound] = argument as [string, number, string, number];
  if (!(low === '>' || low === '>=') || !(high === '<' || high === '<=')) {
    return [
      'numeric with two comparisons needs a lower bound (> or >=) then an upper bound (< or <=)',
    ];
  }
  return lowBound < highBound ? [] : ['numeric lower bound must be less than its upper bound'];
}

function numericMatches(argument: unknown, value: unknown): boolean {
  if (typeof value !== 'number' || !Array.isArray(argument)) return false;
  for (let index = 0; index < argument.length; index += 2) {
    const compare = COMPARISONS[String(argument[index])];
    if (!compare?.(value, Number(argument[index + 1]))) return false;
  }
  return true;
}

/** The literal runs between unescaped `*`s, or the reason the wildcard is malformed. */
function parseWildcard(pattern: string): string[] | string {
  const runs = [''];
  let afterStar = false;
  for (let index = 0; index < pattern.length; index += 1) {
    let char = pattern.charAt(index);
    if (char === '*') {
      if (afterStar) return 'must not contain consecutive "*" characters';
      runs.push('');
      afterStar = true;
      continue;
    }
    if (char === '\\') {
      index += 1;
      char = pattern.charAt(index);
      if (char !== '*' && char !== '\\') return 'may only use "\\" to escape "*" or "\\"';
    }
    runs[runs.length - 1] += char;
    afterStar = false;
  }
  return runs;
}

function wildcardProblems(name: string, argument: unknown): string[] {
  if (typeof argument !== 'string') return [`${name} must be a string`];
  const parsed = parseWildcard(argument);
  return typeof parsed === 'string' ? [`${name} ${JSON.stringify(argument)} ${parsed}`] : [];
}

// Greedy leftmost placement of each middle run is enough because `*` matches any run of characters.
function wildcardMatches(runs: string[] | string, value: string): boolean {
  if (typeof runs === 'string') return false;
  if (runs.length === 1) return value === runs[0];
  const first = runs[0] ?? '';
  const last = runs.at(-1) ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (const run of runs.slice(1, -1)) {
    const found = value.indexOf(run, position);
    if (found < 0 || found + run.length > end) return false;
    position = found + run.length;
  }
  return true;
}

function parseCidr(text: string): (Ip & { prefixLength: number }) | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const ip = match?.[1] ? parseIp(match[1]) : undefined;
  const prefixLength = Number(match?.[2]);
  if (!ip || prefixLength > ip.bits) return undefined;
  return { ...ip, prefixLength };
}

function parseIp(text: string): Ip | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { bits: 32, address: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { bits: 128, address: v6 };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((address, octet) => (address << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let groups = text.split(':');
  const tail = groups.at(-1) ?? '';
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two 16-bit groups.
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    groups = [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  }
  const halves = groups.join(':').split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return all.reduce((address, group) => (address << 16n) | BigInt(`0x${group}`), 0n);
}

function cidrMatches(argument: unknown, value: unknown): boolean {
  const range = typeof argument === 'string' ? parseCidr(argument) : undefined;
  const ip = typeof value === 'string' ? parseIp(value) : undefined;
  if (!range || !ip || ip.bits !== range.bits) return false;
  const hostBits = BigInt(range.bits - range.prefixLength);
  return ip.address >> hostBits === range.address >> hostBits;
}
