import { describe, expect, it } from 'vitest';
import { alarmEmailFromContext, appContext } from '../../infra/app-context.ts';
import { testApp } from './build.ts';

const contextOf = (values: Record<string, unknown>) => appContext(testApp(values).node);

describe('the context values of the app', () => {
  it('default to stack bgjobs, retained job queues, no opt-in, no job dashboards, bgjobs.lock.json', () => {
    expect(contextOf({})).toEqual({
      stackName: 'bgjobs',
      alarmEmail: undefined,
      queueRemoval: 'retain',
      allowQueueReplacement: [],
      jobDashboards: false,
      queueLockFile: 'bgjobs.lock.json',
    });
  });

  it('read -c strings and cdk.json values alike', () => {
    expect(
      contextOf({
        stackName: 'shop',
        queueRemoval: 'destroy',
        allowQueueReplacement: 'ledger, mail',
        jobDashboards: true,
      }),
    ).toMatchObject({
      stackName: 'shop',
      queueRemoval: 'destroy',
      allowQueueReplacement: ['ledger', 'mail'],
      jobDashboards: true,
    });
    expect(contextOf({ allowQueueReplacement: 'all', jobDashboards: 'false' })).toMatchObject({
      allowQueueReplacement: 'all',
      jobDashboards: false,
    });
  });

  it('are refused with the key, the value and what is allowed', () => {
    expect(() => contextOf({ queueRemoval: 'keep' })).toThrow(
      'context queueRemoval is "keep"; allowed: "retain" or "destroy"',
    );
    expect(() => contextOf({ allowQueueReplacement: 'a,,b' })).toThrow(
      'context allowQueueReplacement is "a,,b"; allowed: job names separated by commas, or "all"',
    );
    expect(() => contextOf({ jobDashboards: 'yes' })).toThrow(
      'context jobDashboards is "yes"; allowed: true or false',
    );
    expect(() => alarmEmailFromContext(testApp({ alarmEmail: 42 }).node)).toThrow(
      'context alarmEmail is 42; allowed: one e-mail address, such as ops@example.com',
    );
  });
});
