import { describe, expect, it } from 'vitest';
import {
  decodeBody,
  eventBridgeEvent,
  eventTime,
  onDemandBody,
  ruleTargetBody,
  scheduledEvent,
} from '../../core/messages.ts';

describe('the message contract', () => {
  it('sends an on-demand payload as its JSON, so aws sqs send-message makes a valid job', () => {
    expect(onDemandBody({ n: 1 })).toBe('{"n":1}');
    expect(decodeBody('{"n":1}', false)).toEqual({ ok: true, payload: { n: 1 }, event: undefined });
  });

  it('delivers a scheduled event with the bytes EventBridge uses', () => {
    const event = scheduledEvent({
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      time: new Date('2015-10-08T16:53:06.123Z'),
      account: '123456789012',
      region: 'us-east-1',
      ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule',
    });
    // The example from the EventBridge docs ("Scheduled Event" reference), key order included.
    expect(ruleTargetBody(event)).toBe(
      '{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2015-10-08T16:53:06Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],"detail":{}}',
    );
  });

  it('orders the keys of a custom event as EventBridge does, whatever order they were given in', () => {
    const event = eventBridgeEvent({
      detail: { reportId: 'r1' },
      resources: [],
      region: 'eu-west-1',
      time: eventTime(new Date('2026-11-27T08:00:00Z')),
      account: '000000000000',
      source: 'bgjobs.example',
      'detail-type': 'ReportRequested',
      id: 'e-1',
    });
    expect(Object.keys(event)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
  });

  it('unwraps an event into its detail for a job that has a rule', () => {
    const body = ruleTargetBody(
      eventBridgeEvent({
        id: 'e-1',
        'detail-type': 'ReportRequested',
        source: 'bgjobs.example',
        account: '000000000000',
        time: '2026-11-27T08:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { reportId: 'r1' },
      }),
    );
    expect(decodeBody(body, true)).toEqual({
      ok: true,
      payload: { reportId: 'r1' },
      event: {
        id: 'e-1',
        source: 'bgjobs.example',
        detailType: 'ReportRequested',
        time: new Date('2026-11-27T08:00:00Z'),
        resources: [],
      },
    });
  });

  it('keeps an event whole on an on-demand job, where it is just a payload', () => {
    const body = ruleTargetBody(
      scheduledEvent({ id: 'x', time: new Date(0), account: '1', region: 'r', ruleArn: 'a' }),
    );
    const decoded = decodeBody(body, false);
    expect(decoded.ok && decoded.payload).toMatchObject({ 'detail-type': 'Scheduled Event' });
  });

  it('says why a body is not JSON, with a preview of it', () => {
    const decoded = decodeBody('not json', false);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(/^body is not JSON \(.*\): "not json"$/);
    const long = decodeBody('x'.repeat(500), false);
    expect(!long.ok && long.reason.length).toBeLessThan(200);
  });

  it('treats an empty body as not JSON', () => {
    expect(decodeBody('', true).ok).toBe(false);
  });
});
