import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { reportJob } from '../../jobs/index.ts';
import {
  dashboardWidgets,
  FIXTURE_JOBS_DIR,
  JOBS_DIR,
  resources,
  synthStack,
  testApp,
} from './build.ts';
import { chargeJob } from './fixtures/jobs/charge.ts';
import { tickerJob } from './fixtures/jobs/ticker.ts';

const TABLE_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':dynamodb:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':table/bgjobs--idempotency',
    ],
  ],
};

type Statement = { Action: unknown; Resource: unknown; Condition?: unknown };

/** The statements of the policies attached to the job function's role. */
function functionStatements(t: Template): Statement[] {
  const [fn] = resources(t, 'AWS::Lambda::Function');
  if (!fn) throw new Error('no function in the template');
  const role = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return resources(t, 'AWS::IAM::Policy')
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The statements of the producers' managed policy in the app's stack. */
function producerStatements(t: Template): (Statement & { Sid?: string })[] {
  const [policy] = resources(t, 'AWS::IAM::ManagedPolicy');
  return (
    (policy?.Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? []
  );
}

const dynamodbStatements = (t: Template) =>
  functionStatements(t).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));

describe('the idempotency table in the stack', () => {
  it("is in the app's stack, named from the plan, on demand with its TTL, and retained", () => {
    const { template, job } = synthStack([chargeJob, tickerJob], { jobsDir: FIXTURE_JOBS_DIR });

    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'bgjobs--idempotency',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      },
    });
    job('charge').resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  it("gives an idempotent job's function its own keys only (dynamodb:LeadingKeys), by the table's name", () => {
    const { template, job } = synthStack([chargeJob, tickerJob], { jobsDir: FIXTURE_JOBS_DIR });

    expect(dynamodbStatements(job('charge'))).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        Resource: TABLE_ARN,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['bgjobs--charge#*'] },
        },
      },
    ]);
    expect(dynamodbStatements(job('ticker'))).toEqual([]);
    // By name, not by export: the job's stack changes only when the job does.
    expect(JSON.stringify(job('charge').toJSON())).not.toContain('Fn::ImportValue');
    const outputs = Object.values(template.toJSON().Outputs ?? {}) as { Export?: unknown }[];
    expect(outputs.filter((output) => output.Export)).toEqual([]);
  });

  it("names the table and the job's key prefix in its function's environment, and only its", () => {
    const { job } = synthStack([chargeJob, tickerJob], { jobsDir: FIXTURE_JOBS_DIR });

    job('charge').hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          BGJOBS_IDEMPOTENCY_TABLE: 'bgjobs--idempotency',
          BGJOBS_IDEMPOTENCY_KEY_PREFIX: 'bgjobs--charge',
        }),
      },
    });
    const [ticker] = resources(job('ticker'), 'AWS::Lambda::Function');
    const variables = (ticker?.Properties.Environment as { Variables: object } | undefined)
      ?.Variables;
    expect(variables).toBeDefined();
    expect(Object.keys(variables ?? {})).not.toContain('BGJOBS_IDEMPOTENCY_TABLE');
  });

  it('exists for a job with uniqueEnqueues alone, whose function gets no grant (its producers reserve keys)', () => {
    const { template, job } = synthStack([reportJob], { jobsDir: JOBS_DIR });

    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(dynamodbStatements(job('report'))).toEqual([]);
  });

  it("gives the producers' policy the unique enqueues' keys of every job, and none of the handlers' records", () => {
    const { template } = synthStack([reportJob], { jobsDir: JOBS_DIR });

    expect(producerStatements(template).filter((st) => st.Sid === 'UniqueEnqueues')).toEqual([
      {
        Sid: 'UniqueEnqueues',
        Effect: 'Allow',
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        Resource: TABLE_ARN,
        // An idempotent job's records, 'bgjobs--<job>#<hash>', do not match.
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['bgjobs--*--unique#*'] },
        },
      },
    ]);
  });

  it('is not created when no job needs one', () => {
    const { template, job } = synthStack([tickerJob], { jobsDir: FIXTURE_JOBS_DIR });

    expect(producerStatements(template).map((st) => st.Sid)).not.toContain('UniqueEnqueues');
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(dynamodbStatements(job('ticker'))).toEqual([]);
  });

  it("adds DuplicatesSuppressed to an idempotent job's Records graph, and to no other job's", () => {
    const { job } = synthStack([chargeJob, tickerJob], {
      jobsDir: FIXTURE_JOBS_DIR,
      jobDashboards: true,
    });
    const records = (name: string) =>
      dashboardWidgets(job(name)).widgets.find((w) => w.properties.title === 'Records');

    expect(JSON.stringify(records('charge')?.properties.metrics)).toContain('DuplicatesSuppressed');
    expect(JSON.stringify(records('ticker')?.properties.metrics)).not.toContain(
      'DuplicatesSuppressed',
    );
  });

  it('leaves cdk-nag nothing unacknowledged in the app’s stack and the idempotent job’s stack', () => {
    const app: App = testApp();
    new JobsStack(app, 'bgjobs', {
      jobs: [chargeJob, tickerJob],
      jobsDir: FIXTURE_JOBS_DIR,
      jobDashboards: true,
    });
    addNagChecks(app);
    expect(() => app.synth()).not.toThrow();
  });

  const cfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
  it.skipIf(!cfnLint)(
    'synthesizes templates with the table and the grant in which cfn-lint finds no error',
    () => {
      const outdir = mkdtempSync(path.join(tmpdir(), 'bgjobs-idempotency-'));
      onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
      const { app } = synthStack([chargeJob], {
        jobsDir: FIXTURE_JOBS_DIR,
        app: testApp({}, outdir),
      });
      const templates = app.synth().stacks.map((stack) => path.join(outdir, stack.templateFile));
      expect(templates).toHaveLength(2);
      // Exit status bits: 1 fatal, 2 errors, 4 warnings; warnings do not count (as in .ci/run).
      const lint = spawnSync('cfn-lint', templates, { encoding: 'utf8' });
      expect((lint.status ?? 1) & 3, lint.stdout).toBe(0);
    },
  );
});
