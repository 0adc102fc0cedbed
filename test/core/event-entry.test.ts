import { describe, expect, it } from 'vitest';
import { busNameOf, checkEventEntry, eventEntrySizeBytes } from '../../core/event-entry.ts';
import { EVENTBRIDGE_MAX_ENTRY_BYTES } from '../../core/limits.ts';

const entry = {
  source: 'shop',
  detailType: 'OrderPlaced',
  detail: '{"id":"o-1"}',
  resources: [] as string[],
  hasTime: false,
};

describe('eventEntrySizeBytes', () => {
  it('counts Source, DetailType, Detail and Resources in UTF-8, plus 14 bytes for a Time', () => {
    const sized = { ...entry, detail: '{"name":"Zoë 😀"}', resources: ['arn:aws:s3:::b'] };
    const bytes = 4 + 11 + Buffer.byteLength('{"name":"Zoë 😀"}') + 14;

    expect(eventEntrySizeBytes(sized)).toBe(bytes);
    expect(eventEntrySizeBytes({ ...sized, hasTime: true })).toBe(bytes + 14);
  });
});

describe('checkEventEntry', () => {
  it('accepts an entry with a JSON object detail and returns the detail parsed', () => {
    expect(checkEventEntry(entry)).toEqual({ ok: true, detail: { id: 'o-1' } });
  });

  it('accepts an entry of exactly the maximum size and refuses one byte more', () => {
    const fill = (bytes: number) => {
      const overhead = eventEntrySizeBytes({ ...entry, detail: '{"x":""}' });
      return { ...entry, detail: `{"x":"${'y'.repeat(bytes - overhead)}"}` };
    };

    expect(checkEventEntry(fill(EVENTBRIDGE_MAX_ENTRY_BYTES)).ok).toBe(true);
    expect(checkEventEntry(fill(EVENTBRIDGE_MAX_ENTRY_BYTES + 1))).toMatchObject({
      ok: false,
      errorCode: 'InvalidArgument',
    });
  });

  it.each([
    ['a Source starting with "aws."', { source: 'aws.ec2' }, 'NotAuthorizedForSourceException'],
    ['an empty Source', { source: '' }, 'InvalidArgument'],
    ['an empty DetailType', { detailType: '' }, 'InvalidArgument'],
    ['detail that is not JSON', { detail: '{oops' }, 'MalformedDetail'],
    ['detail that is a string', { detail: '"text"' }, 'MalformedDetail'],
    ['detail that is null', { detail: 'null' }, 'MalformedDetail'],
  ])('refuses %s with %s', (_what, fields, errorCode) => {
    expect(checkEventEntry({ ...entry, ...fields })).toMatchObject({ ok: false, errorCode });
  });

  it('accepts a source that merely starts with "aws" and a deep array at exactly 1000 levels', () => {
    const deep = `${'['.repeat(999)}${']'.repeat(999)}`;
    expect(checkEventEntry({ ...entry, source: 'aws-tools' }).ok).toBe(true);
    expect(checkEventEntry({ ...entry, detail: `{"a":${deep}}` }).ok).toBe(true);
    expect(checkEventEntry({ ...entry, detail: `{"a":[${deep}]}` })).toMatchObject({
      ok: false,
      errorCode: 'MalformedDetail',
    });
  });
});

describe('busNameOf', () => {
  it('takes the name out of a bus ARN and leaves a name as it is', () => {
    expect(busNameOf('arn:aws:events:eu-west-1:123456789012:event-bus/bgjobs-bus')).toBe(
      'bgjobs-bus',
    );
    expect(busNameOf('bgjobs-bus')).toBe('bgjobs-bus');
  });
});
