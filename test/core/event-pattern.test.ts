import { describe, expect, it } from 'vitest';
import {
  type EventPattern,
  matchesEventPattern,
  validateEventPattern,
} from '../../core/event-pattern.ts';

// The sample event from the EventBridge content-filtering docs (and the Event Ruler README).
const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

// The sample event from "Matching null values and empty strings".
const AUTOSCALING_EVENT = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** An EC2_EVENT whose detail is replaced, for operators the docs show on detail fields. */
function withDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return { ...EC2_EVENT, detail };
}

function withFields(fields: Record<string, unknown>): Record<string, unknown> {
  return { ...EC2_EVENT, ...fields };
}

interface MatchCase {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly event: unknown;
  readonly matches: boolean;
}

/** Every pattern in a match table must also be one that validation accepts. */
function matchTable(cases: readonly MatchCase[]): void {
  it.each(cases)('$name', ({ pattern, event, matches }) => {
    expect(validateEventPattern(pattern)).toEqual([]);
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });
}

const EC2_TERMINATED: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

describe('exact values and nesting', () => {
  matchTable([
    {
      name: 'matches when every field of the docs pattern matches, at every level',
      pattern: EC2_TERMINATED,
      event: withDetail({ 'instance-id': 'i-1234567890abcdef0', state: 'terminated' }),
      matches: true,
    },
    {
      name: 'does not match when one nested field differs (fields are ANDed)',
      pattern: EC2_TERMINATED,
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'matches when the event value is any of the values in the pattern array',
      pattern: { source: ['aws.ec2', 'aws.fargate'] },
      event: withFields({ source: 'aws.fargate' }),
      matches: true,
    },
    {
      name: 'does not match when a pattern field is missing from the event',
      pattern: { detail: { state: ['running'], reason: ['user'] } },
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'does not match when a nested object in the pattern is missing from the event',
      pattern: { detail: { state: ['running'] } },
      event: withFields({ detail: undefined }),
      matches: false,
    },
    {
      name: 'does not match when the event has a string where the pattern nests an object',
      pattern: { detail: { state: ['running'] } },
      event: withFields({ detail: 'running' }),
      matches: false,
    },
    {
      name: 'ignores event fields the pattern does not mention',
      pattern: { region: ['us-east-1'] },
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'matches exact strings case-sensitively',
      pattern: { source: ['AWS.EC2'] },
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'matches numbers by value, so 300 matches 300.0',
      pattern: { detail: { limit: [300] } },
      event: JSON.parse('{"detail": {"limit": 300.0}}'),
      matches: true,
    },
    {
      name: 'does not match a number against the same digits in a string',
      pattern: { detail: { limit: [300] } },
      event: withDetail({ limit: '300' }),
      matches: false,
    },
    {
      name: 'does not match a string pattern against the same digits as a number',
      pattern: { detail: { limit: ['300'] } },
      event: withDetail({ limit: 300 }),
      matches: false,
    },
    {
      name: 'matches booleans exactly',
      pattern: { detail: { enabled: [true] } },
      event: withDetail({ enabled: true }),
      matches: true,
    },
    {
      name: 'does not match the boolean true against the string "true"',
      pattern: { detail: { enabled: [true] } },
      event: withDetail({ enabled: 'true' }),
      matches: false,
    },
    {
      name: 'does not match a value against a field whose event value is an object',
      pattern: { detail: ['running'] },
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'matches deeply nested fields',
      pattern: { detail: { severity: { score: [1] }, count: [2] } },
      event: withDetail({ severity: { score: 1, description: 'Low' }, count: 2 }),
      matches: true,
    },
  ]);

  it('does not match anything that is not an event object', () => {
    for (const event of [null, undefined, 'aws.ec2', 42, [EC2_EVENT]]) {
      expect(matchesEventPattern({ detail: { x: [{ exists: false }] } }, event)).toBe(false);
    }
  });
});

describe('null values and empty strings', () => {
  matchTable([
    {
      name: 'matches an empty string with [""]',
      pattern: { detail: { eventVersion: [''] } },
      event: AUTOSCALING_EVENT,
      matches: true,
    },
    {
      name: 'matches a JSON null with [null]',
      pattern: { detail: { responseElements: [null] } },
      event: AUTOSCALING_EVENT,
      matches: true,
    },
    {
      name: 'does not match null with [""] (they are not interchangeable)',
      pattern: { detail: { responseElements: [''] } },
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'does not match an empty string with [null]',
      pattern: { detail: { eventVersion: [null] } },
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'does not match a missing field with [null]',
      pattern: { detail: { userId: [null] } },
      event: AUTOSCALING_EVENT,
      matches: false,
    },
  ]);
});

describe('arrays in events', () => {
  const RESOURCES_PATTERN: EventPattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  const EMPLOYEES = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };

  matchTable([
    {
      name: 'matches when the pattern array and the event array intersect',
      pattern: RESOURCES_PATTERN,
      event: withFields({
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      }),
      matches: true,
    },
    {
      name: 'does not match when the arrays share no value',
      pattern: RESOURCES_PATTERN,
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'does not match an empty event array',
      pattern: RESOURCES_PATTERN,
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'matches a field inside any object of an event array',
      pattern: { employees: { firstName: ['Anna'] } },
      event: EMPLOYEES,
      matches: true,
    },
    {
      name: 'matches fields that come from the same array element',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      event: EMPLOYEES,
      matches: true,
    },
    {
      name: 'does not combine fields from different array elements',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      event: EMPLOYEES,
      matches: false,
    },
    {
      name: 'matches through arrays nested in arrays',
      pattern: { employees: { firstName: ['Peter'] } },
      event: { employees: [[EMPLOYEES.employees[0]], [EMPLOYEES.employees[2]]] },
      matches: true,
    },
  ]);
});

describe('prefix', () => {
  const TIME_PREFIX: EventPattern = { time: [{ prefix: '2017-10-02' }] };
  const SERVICE_PREFIX: EventPattern = {
    detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
  };
  matchTable([
    {
      name: 'matches a value that starts with the prefix',
      pattern: TIME_PREFIX,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match a value with another start',
      pattern: TIME_PREFIX,
      event: withFields({ time: '2017-10-03T18:43:48Z' }),
      matches: false,
    },
    {
      name: 'does not match non-string values',
      pattern: { detail: { 'c-count': [{ prefix: '5' }] } },
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'with equals-ignore-case, matches the prefix in any casing',
      pattern: SERVICE_PREFIX,
      event: withDetail({ service: 'EVENTBRIDGE' }),
      matches: true,
    },
    {
      name: 'with equals-ignore-case, does not match another prefix',
      pattern: SERVICE_PREFIX,
      event: withDetail({ service: 'Lambda' }),
      matches: false,
    },
  ]);
});

describe('suffix', () => {
  const PNG: EventPattern = { FileName: [{ suffix: '.png' }] };
  const PNG_ANY_CASE: EventPattern = {
    detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
  };
  matchTable([
    {
      name: 'matches a value that ends with the suffix',
      pattern: PNG,
      event: { FileName: 'image.png' },
      matches: true,
    },
    {
      name: 'does not match another ending',
      pattern: PNG,
      event: { FileName: 'image.jpg' },
      matches: false,
    },
    {
      name: 'is case-sensitive by default',
      pattern: PNG,
      event: { FileName: 'image.PNG' },
      matches: false,
    },
    {
      name: 'with equals-ignore-case, matches the suffix in any casing',
      pattern: PNG_ANY_CASE,
      event: withDetail({ FileName: 'image.PNG' }),
      matches: true,
    },
    {
      name: 'with equals-ignore-case, does not match another ending',
      pattern: PNG_ANY_CASE,
      event: withDetail({ FileName: 'image.gif' }),
      matches: false,
    },
  ]);
});

describe('equals-ignore-case', () => {
  const DETAIL_TYPE: EventPattern = {
    'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
  };
  matchTable([
    {
      name: 'matches the same text in another casing',
      pattern: DETAIL_TYPE,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match different text',
      pattern: DETAIL_TYPE,
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'does not match a prefix of the text',
      pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
      event: { Name: 'Alice Smith' },
      matches: false,
    },
  ]);
});

describe('anything-but', () => {
  const NOT_INITIALIZING: EventPattern = {
    detail: { state: [{ 'anything-but': 'initializing' }] },
  };
  const NOT_123: EventPattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
  const NOT_STOPPED_OR_OVERLOADED: EventPattern = {
    detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] },
  };
  const NOT_ROUND: EventPattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
  const NOT_INIT_PREFIX: EventPattern = {
    detail: { state: [{ 'anything-but': { prefix: 'init' } }] },
  };
  const NOT_TXT: EventPattern = { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } };
  const NOT_INITIALIZING_ANY_CASE: EventPattern = {
    detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
  };
  const NOT_LIB: EventPattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
  const NOT_LIB_OR_BIN: EventPattern = {
    FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }],
  };

  matchTable([
    {
      name: 'matches a string other than the excluded one',
      pattern: NOT_INITIALIZING,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match the excluded string',
      pattern: NOT_INITIALIZING,
      event: withDetail({ state: 'initializing' }),
      matches: false,
    },
    {
      name: 'does not match a missing field',
      pattern: NOT_INITIALIZING,
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'matches a null value, which is present and not excluded',
      pattern: NOT_INITIALIZING,
      event: withDetail({ state: null }),
      matches: true,
    },
    {
      name: 'matches when any element of an event array is not excluded',
      pattern: NOT_INITIALIZING,
      event: withDetail({ state: ['initializing', 'running'] }),
      matches: true,
    },
    {
      name: 'does not match when every element of an event array is excluded',
      pattern: NOT_INITIALIZING,
      event: withDetail({ state: ['initializing'] }),
      matches: false,
    },
    {
      name: 'matches a number other than the excluded one',
      pattern: NOT_123,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match the excluded number',
      pattern: NOT_123,
      event: withDetail({ 'x-limit': 123 }),
      matches: false,
    },
    {
      name: 'matches a string that spells the excluded number',
      pattern: NOT_123,
      event: withDetail({ 'x-limit': '123' }),
      matches: true,
    },
    {
      name: 'matches a string outside an excluded list',
      pattern: NOT_STOPPED_OR_OVERLOADED,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match a string in an excluded list',
      pattern: NOT_STOPPED_OR_OVERLOADED,
      event: withDetail({ state: 'overloaded' }),
      matches: false,
    },
    {
      name: 'matches a number outside an excluded list',
      pattern: NOT_ROUND,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match a number in an excluded list, compared by value',
      pattern: NOT_ROUND,
      event: JSON.parse('{"detail": {"x-limit": 200.0}}'),
      matches: false,
    },
    {
      name: 'with prefix, matches a value without the prefix',
      pattern: NOT_INIT_PREFIX,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'with prefix, does not match a value with the prefix',
      pattern: NOT_INIT_PREFIX,
      event: withDetail({ state: 'initializing' }),
      matches: false,
    },
    {
      name: 'with suffix, matches a value without the suffix',
      pattern: NOT_TXT,
      event: withDetail({ FileName: 'notes.md' }),
      matches: true,
    },
    {
      name: 'with suffix, does not match a value with the suffix',
      pattern: NOT_TXT,
      event: withDetail({ FileName: 'notes.txt' }),
      matches: false,
    },
    {
      name: 'with equals-ignore-case, does not match an excluded value in another casing',
      pattern: NOT_INITIALIZING_ANY_CASE,
      event: withDetail({ state: 'STOPPED' }),
      matches: false,
    },
    {
      name: 'with equals-ignore-case, matches a value outside the list',
      pattern: NOT_INITIALIZING_ANY_CASE,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'with equals-ignore-case as a single string, does not match it in any casing',
      pattern: {
        detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      },
      event: withDetail({ state: 'Initializing' }),
      matches: false,
    },
    {
      name: 'with wildcard, matches a path outside the excluded shape',
      pattern: NOT_LIB,
      event: { FilePath: '/usr/bin/app' },
      matches: true,
    },
    {
      name: 'with wildcard, does not match a path of the excluded shape',
      pattern: NOT_LIB,
      event: { FilePath: '/usr/lib/app' },
      matches: false,
    },
    {
      name: 'with a wildcard list, does not match a path of any excluded shape',
      pattern: NOT_LIB_OR_BIN,
      event: { FilePath: '/usr/bin/app' },
      matches: false,
    },
    {
      name: 'with a wildcard list, matches a path of no excluded shape',
      pattern: NOT_LIB_OR_BIN,
      event: { FilePath: '/etc/app.conf' },
      matches: true,
    },
  ]);
});

describe('numeric', () => {
  const DOCS_NUMERIC: EventPattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  const C_COUNT: EventPattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } };

  matchTable([
    {
      name: 'matches when every comparison in the docs example holds',
      pattern: DOCS_NUMERIC,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match when one field falls outside its range',
      pattern: DOCS_NUMERIC,
      event: withDetail({ ...EC2_EVENT.detail, 'd-count': 10 }),
      matches: false,
    },
    {
      name: 'treats an open lower bound as exclusive',
      pattern: C_COUNT,
      event: withDetail({ 'c-count': 0 }),
      matches: false,
    },
    {
      name: 'treats a closed upper bound as inclusive',
      pattern: C_COUNT,
      event: withDetail({ 'c-count': 5 }),
      matches: true,
    },
    {
      name: 'does not match above the upper bound',
      pattern: C_COUNT,
      event: withDetail({ 'c-count': 5.5 }),
      matches: false,
    },
    {
      name: 'does not match a number inside a string',
      pattern: C_COUNT,
      event: withDetail({ 'c-count': '3' }),
      matches: false,
    },
    {
      name: 'matches when any element of an event array is in range',
      pattern: C_COUNT,
      event: withDetail({ 'c-count': [9, 2] }),
      matches: true,
    },
    {
      name: 'matches = by numeric value (300 equals 300.0)',
      pattern: { detail: { limit: [{ numeric: ['=', 300] }] } },
      event: JSON.parse('{"detail": {"limit": 300.0}}'),
      matches: true,
    },
    {
      name: 'matches >= at its bound',
      pattern: { detail: { price: [{ numeric: ['>=', 10, '<', 20] }] } },
      event: withDetail({ price: 10 }),
      matches: true,
    },
  ]);
});

describe('exists', () => {
  const NO_C_COUNT: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
  const HAS_STATE: EventPattern = { detail: { state: [{ exists: true }] } };
  matchTable([
    {
      name: 'exists: true matches a present field',
      pattern: HAS_STATE,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'exists: true does not match a missing field',
      pattern: HAS_STATE,
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'exists: true matches a field whose value is null (null is a value)',
      pattern: { detail: { responseElements: [{ exists: true }] } },
      event: AUTOSCALING_EVENT,
      matches: true,
    },
    {
      name: 'exists: true does not match an object, because exists only looks at leaf nodes',
      pattern: { detail: [{ exists: true }] },
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'exists: true does not match an empty array, which holds no leaf values',
      pattern: { resources: [{ exists: true }] },
      event: AUTOSCALING_EVENT,
      matches: false,
    },
    {
      name: 'exists: false matches an event without the field (docs example)',
      pattern: NO_C_COUNT,
      event: withDetail({ state: ['initializing', 'running'] }),
      matches: true,
    },
    {
      name: 'exists: false matches when the field is an object, not a leaf (docs example)',
      pattern: NO_C_COUNT,
      event: withDetail({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }),
      matches: true,
    },
    {
      name: 'exists: false does not match a present field',
      pattern: NO_C_COUNT,
      event: EC2_EVENT,
      matches: false,
    },
    {
      name: 'exists: false matches when an enclosing object is missing too',
      pattern: NO_C_COUNT,
      event: { source: 'aws.ec2' },
      matches: true,
    },
  ]);
});

describe('wildcard', () => {
  const BUS_ARN: EventPattern = {
    EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }],
  };
  const PNG_IN_DIR: EventPattern = { FileName: [{ wildcard: 'dir/*.png' }] };
  matchTable([
    {
      name: 'matches any run of characters at each *',
      pattern: BUS_ARN,
      event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
      matches: true,
    },
    {
      name: 'does not match when the literal parts differ',
      pattern: BUS_ARN,
      event: { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' },
      matches: false,
    },
    {
      name: 'matches a .png file in the folder',
      pattern: PNG_IN_DIR,
      event: { FileName: 'dir/image.png' },
      matches: true,
    },
    {
      name: 'lets * span slashes',
      pattern: PNG_IN_DIR,
      event: { FileName: 'dir/sub/image.png' },
      matches: true,
    },
    {
      name: 'does not match another extension',
      pattern: PNG_IN_DIR,
      event: { FileName: 'dir/image.jpg' },
      matches: false,
    },
    {
      name: 'does not match another folder',
      pattern: PNG_IN_DIR,
      event: { FileName: 'other/image.png' },
      matches: false,
    },
    {
      name: 'lets * match zero characters',
      pattern: { source: [{ wildcard: 'Simple*Service' }] },
      event: { source: 'SimpleService' },
      matches: true,
    },
    {
      name: 'treats an escaped \\* as a literal star',
      pattern: { source: [{ wildcard: 'Simple\\*Service' }] },
      event: { source: 'Simple*Service' },
      matches: true,
    },
    {
      name: 'does not let an escaped \\* match other characters',
      pattern: { source: [{ wildcard: 'Simple\\*Service' }] },
      event: { source: 'SimpleQueueService' },
      matches: false,
    },
    {
      name: 'treats \\\\ as a literal backslash',
      pattern: { path: [{ wildcard: 'C:\\\\*' }] },
      event: { path: 'C:\\Windows' },
      matches: true,
    },
    {
      name: 'does not let literal runs overlap',
      pattern: { name: [{ wildcard: 'ab*ba' }] },
      event: { name: 'aba' },
      matches: false,
    },
    {
      name: 'does not match non-string values',
      pattern: { detail: { 'c-count': [{ wildcard: '*' }] } },
      event: EC2_EVENT,
      matches: false,
    },
  ]);
});

describe('cidr', () => {
  const IPV4: EventPattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
  const IPV6: EventPattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
  matchTable([
    {
      name: 'matches an IPv4 address inside the range',
      pattern: IPV4,
      event: withDetail({ sourceIPAddress: '10.0.0.33' }),
      matches: true,
    },
    {
      name: 'matches the last address of the range',
      pattern: IPV4,
      event: withDetail({ sourceIPAddress: '10.0.0.255' }),
      matches: true,
    },
    {
      name: 'does not match an IPv4 address outside the range',
      pattern: IPV4,
      event: withDetail({ sourceIPAddress: '10.0.1.1' }),
      matches: false,
    },
    {
      name: 'does not match a string that is not an address',
      pattern: IPV4,
      event: withDetail({ sourceIPAddress: 'localhost' }),
      matches: false,
    },
    {
      name: 'matches an IPv6 address inside the range',
      pattern: IPV6,
      event: withDetail({ sourceIPAddress: '2001:0db8:85a3::8a2e:0370:7334' }),
      matches: true,
    },
    {
      name: 'does not match an IPv6 address outside the range',
      pattern: IPV6,
      event: withDetail({ sourceIPAddress: '2001:db9::1' }),
      matches: false,
    },
    {
      name: 'does not match an IPv4 address against an IPv6 range',
      pattern: IPV6,
      event: withDetail({ sourceIPAddress: '10.0.0.1' }),
      matches: false,
    },
    {
      name: 'matches an IPv6 address written with an embedded IPv4 tail',
      pattern: { ip: [{ cidr: '::ffff:0:0/96' }] },
      event: { ip: '::ffff:192.168.1.1' },
      matches: true,
    },
  ]);
});

describe('$or', () => {
  const DETAIL_OR: EventPattern = {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  };
  const SOURCE_AND_OR: EventPattern = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  };
  const NESTED_OR: EventPattern = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization', 'ReadLatency'] },
      {
        metricType: ['MetricType'],
        namespace: ['AWS/EC2', 'AWS/ES'],
        $or: [{ metricId: [1234] }, { spaceId: [1000] }],
      },
      { scope: ['Service'] },
    ],
  };
  const cloudwatch = (fields: Record<string, unknown>) => ({ source: 'aws.cloudwatch', ...fields });

  matchTable([
    {
      name: 'matches when only one branch matches',
      pattern: DETAIL_OR,
      event: withDetail({ 'c-count': 50, 'd-count': 3 }),
      matches: true,
    },
    {
      name: 'does not match when no branch matches',
      pattern: DETAIL_OR,
      event: withDetail({ 'c-count': 50, 'd-count': 30, 'x-limit': 1 }),
      matches: false,
    },
    {
      name: 'is ANDed with the other fields at its level',
      pattern: SOURCE_AND_OR,
      event: cloudwatch({ namespace: 'AWS/EC2' }),
      matches: true,
    },
    {
      name: 'does not match when a sibling field fails even though a branch matches',
      pattern: SOURCE_AND_OR,
      event: { source: 'aws.ec2', namespace: 'AWS/EC2' },
      matches: false,
    },
    {
      name: 'matches through an $or nested inside an $or branch',
      pattern: NESTED_OR,
      event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }),
      matches: true,
    },
    {
      name: 'does not match when the nested $or fails inside the chosen branch',
      pattern: NESTED_OR,
      event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1 }),
      matches: false,
    },
    {
      name: 'matches another branch of the outer $or',
      pattern: NESTED_OR,
      event: cloudwatch({ scope: 'Service' }),
      matches: true,
    },
    {
      name: 'requires parallel $or groups at different levels to each match',
      pattern: {
        $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
        detail: {
          $or: [
            { source: ['aws.cloudwatch'] },
            { 'detail-type': ['CloudWatch Alarm State Change'] },
          ],
        },
      },
      event: { namespace: 'AWS/EC2', detail: { source: 'aws.s3' } },
      matches: false,
    },
    {
      name: 'applies within one element of an event array',
      pattern: { items: { $or: [{ a: [1] }, { b: [2] }], c: [3] } },
      event: { items: [{ a: 1 }, { b: 2, c: 3 }] },
      matches: true,
    },
  ]);
});

describe('combined operators', () => {
  const COMPLEX: EventPattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };
  matchTable([
    {
      name: 'matches the docs complex example event',
      pattern: COMPLEX,
      event: EC2_EVENT,
      matches: true,
    },
    {
      name: 'does not match when one operator in the complex example fails',
      pattern: COMPLEX,
      event: withDetail({ ...EC2_EVENT.detail, 'source-ip': '192.168.0.1' }),
      matches: false,
    },
    {
      name: 'matches when any operator or value in a leaf array matches',
      pattern: { detail: { state: ['stopped', { prefix: 'run' }, { numeric: ['>', 1] }] } },
      event: EC2_EVENT,
      matches: true,
    },
  ]);
});

describe('validateEventPattern', () => {
  it.each([
    { name: 'accepts the docs EC2 pattern', pattern: EC2_TERMINATED },
    { name: 'accepts every leaf value type', pattern: { a: ['s', 1, true, null, ''] } },
    {
      name: 'accepts an anything-but list of numbers',
      pattern: { a: [{ 'anything-but': [1, 2] }] },
    },
    { name: 'accepts a single numeric comparison', pattern: { a: [{ numeric: ['=', 3] }] } },
    { name: 'accepts an escaped star in a wildcard', pattern: { a: [{ wildcard: 'a\\**' }] } },
  ])('$name', ({ pattern }) => {
    expect(validateEventPattern(pattern)).toEqual([]);
  });

  it.each<{ name: string; pattern: unknown; problems: string[] }>([
    {
      name: 'rejects a pattern that is not an object',
      pattern: ['aws.ec2'],
      problems: ['the pattern must be a JSON object'],
    },
    { name: 'rejects null', pattern: null, problems: ['the pattern must be a JSON object'] },
    { name: 'rejects an empty pattern', pattern: {}, problems: ['the pattern must not be empty'] },
    {
      name: 'rejects a leaf that is not an array, naming its path',
      pattern: { detail: { state: 'running' } },
      problems: ['detail.state: must be an array of values to match or a nested object'],
    },
    {
      name: 'rejects an empty leaf array',
      pattern: { source: [] },
      problems: ['source: must not be an empty array'],
    },
    {
      name: 'rejects an empty nested object',
      pattern: { detail: {} },
      problems: ['detail: must not be an empty object'],
    },
    {
      name: 'rejects an array nested in a leaf array',
      pattern: { source: [['aws.ec2']] },
      problems: [
        'source: an array cannot be matched; use a string, number, boolean, null or an operator object',
      ],
    },
    {
      name: 'rejects an unknown operator',
      pattern: { detail: { state: [{ contains: 'run' }] } },
      problems: ['detail.state: unknown operator "contains"'],
    },
    {
      name: 'rejects an operator object with two keys',
      pattern: { a: [{ prefix: 'x', suffix: 'y' }] },
      problems: ['a: an operator object needs exactly one key, e.g. { "prefix": "us-" }'],
    },
    {
      name: 'rejects a prefix that is not a string',
      pattern: { time: [{ prefix: 2017 }] },
      problems: ['time: prefix must be a string or { "equals-ignore-case": string }'],
    },
    {
      name: 'rejects a suffix object without equals-ignore-case',
      pattern: { f: [{ suffix: { 'ignore-case': '.png' } }] },
      problems: ['f: suffix must be a string or { "equals-ignore-case": string }'],
    },
    {
      name: 'rejects equals-ignore-case that is not a string',
      pattern: { f: [{ 'equals-ignore-case': ['a'] }] },
      problems: ['f: equals-ignore-case must be a string'],
    },
    {
      name: 'rejects exists that is not a boolean',
      pattern: { f: [{ exists: 'yes' }] },
      problems: ['f: exists must be true or false'],
    },
    {
      name: 'rejects numeric with an unknown operator',
      pattern: { detail: { priority: [{ numeric: ['!=', 3] }] } },
      problems: [
        'detail.priority: numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]',
      ],
    },
    {
      name: 'rejects numeric with a string operand',
      pattern: { detail: { priority: [{ numeric: ['>', '3'] }] } },
      problems: [
        'detail.priority: numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]',
      ],
    },
    {
      name: 'rejects numeric with an odd number of items',
      pattern: { p: [{ numeric: ['>', 0, '<'] }] },
      problems: [
        'p: numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]',
      ],
    },
    {
      name: 'rejects numeric with more than two comparisons',
      pattern: { p: [{ numeric: ['>', 0, '<', 5, '<', 4] }] },
      problems: ['p: numeric allows at most two comparisons'],
    },
    {
      name: 'rejects a numeric range whose bounds come in the wrong order',
      pattern: { p: [{ numeric: ['<', 5, '>', 0] }] },
      problems: [
        'p: numeric with two comparisons needs a lower bound (> or >=) then an upper bound (< or <=)',
      ],
    },
    {
      name: 'rejects = combined with a second comparison',
      pattern: { p: [{ numeric: ['=', 5, '<', 9] }] },
      problems: [
        'p: numeric with two comparisons needs a lower bound (> or >=) then an upper bound (< or <=)',
      ],
    },
    {
      name: 'rejects an empty numeric range',
      pattern: { p: [{ numeric: ['>', 5, '<', 5] }] },
      problems: ['p: numeric lower bound must be less than its upper bound'],
    },
    {
      name: 'rejects anything-but with a boolean',
      pattern: { s: [{ 'anything-but': true }] },
      problems: [
        's: anything-but needs a string, a number, a non-empty array of only strings or only numbers, or an object with one of prefix, suffix, equals-ignore-case, wildcard',
      ],
    },
    {
      name: 'rejects anything-but with a mixed list',
      pattern: { s: [{ 'anything-but': ['a', 1] }] },
      problems: [
        's: anything-but needs a string, a number, a non-empty array of only strings or only numbers, or an object with one of prefix, suffix, equals-ignore-case, wildcard',
      ],
    },
    {
      name: 'rejects anything-but with an unsupported nested operator',
      pattern: { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      problems: [
        's: anything-but needs a string, a number, a non-empty array of only strings or only numbers, or an object with one of prefix, suffix, equals-ignore-case, wildcard',
      ],
    },
    {
      name: 'rejects anything-but prefix that is not a string',
      pattern: { s: [{ 'anything-but': { prefix: ['a'] } }] },
      problems: ['s: anything-but prefix must be a string'],
    },
    {
      name: 'rejects anything-but equals-ignore-case with a non-string',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': [1] } }] },
      problems: [
        's: anything-but equals-ignore-case must be a string or a non-empty array of strings',
      ],
    },
    {
      name: 'rejects a wildcard with consecutive stars',
      pattern: { detail: { file: [{ wildcard: 'dir/**.png' }] } },
      problems: ['detail.file: wildcard "dir/**.png" must not contain consecutive "*" characters'],
    },
    {
      name: 'rejects a backslash that escapes something other than * or \\',
      pattern: { file: [{ wildcard: 'a\\b*' }] },
      problems: ['file: wildcard "a\\\\b*" may only use "\\" to escape "*" or "\\"'],
    },
    {
      name: 'rejects consecutive stars inside an anything-but wildcard',
      pattern: { file: [{ 'anything-but': { wildcard: ['*/lib/*', '**'] } }] },
      problems: ['file: anything-but wildcard "**" must not contain consecutive "*" characters'],
    },
    {
      name: 'rejects a cidr without a prefix length',
      pattern: { ip: [{ cidr: '10.0.0.1' }] },
      problems: ['ip: cidr needs an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/24"'],
    },
    {
      name: 'rejects a cidr with an out-of-range octet or prefix',
      pattern: { ip: [{ cidr: '10.0.0.256/24' }], ip6: [{ cidr: '2001:db8::/129' }] },
      problems: [
        'ip: cidr needs an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/24"',
        'ip6: cidr needs an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/24"',
      ],
    },
    {
      name: 'rejects $or that is not an array',
      pattern: { $or: { a: ['x'] } },
      problems: ['$or: must be an array of at least 2 pattern objects'],
    },
    {
      name: 'rejects $or with a single branch',
      pattern: { detail: { $or: [{ a: ['x'] }] } },
      problems: ['detail.$or: must be an array of at least 2 pattern objects'],
    },
    {
      name: 'rejects $or branches that are not objects or are empty',
      pattern: { $or: [{ a: ['x'] }, 'b', {}] },
      problems: ['$or[1]: must be a pattern object', '$or[2]: must not be an empty object'],
    },
    {
      name: 'names the path through $or branches',
      pattern: { $or: [{ a: ['x'] }, { detail: { n: [{ numeric: ['>'] }] } }] },
      problems: [
        '$or[1].detail.n: numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]',
      ],
    },
    {
      name: 'reports every problem in the pattern',
      pattern: {
        source: 'aws.ec2',
        detail: { state: [], priority: [{ numeric: ['>', 'high'] }], file: [{ wildcard: '**' }] },
      },
      problems: [
        'source: must be an array of values to match or a nested object',
        'detail.state: must not be an empty array',
        'detail.priority: numeric needs pairs of an operator (<, <=, =, >, >=) and a number, e.g. [">", 0, "<=", 5]',
        'detail.file: wildcard "**" must not contain consecutive "*" characters',
      ],
    },
    {
      name: 'reports a problem repeated in one leaf array once',
      pattern: { a: [{ foo: 1 }, { foo: 2 }] },
      problems: ['a: unknown operator "foo"'],
    },
  ])('$name', ({ pattern, problems }) => {
    expect(validateEventPattern(pattern)).toEqual(problems);
  });
});
