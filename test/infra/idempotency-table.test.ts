import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { planApp } from '../../core/plan.ts';
import { IdempotencyTable, type IdempotencyTableProps } from '../../infra/idempotency-table.ts';
import { addNagChecks } from '../../infra/nag.ts';

const job = (name: string, extra: object) =>
  defineJob({ name, schema: z.object({}), handler: async () => {}, ...extra });
const plan = planApp(
  [job('charge', { idempotency: {} }), job('report', { uniqueEnqueues: true }), job('plain', {})],
  { stackName: 'shop' },
);

/** A small stack: the table, a job function's role and a producer's role with their grants. */
function build(props: Partial<IdempotencyTableProps> = {}, app = new App()) {
  const stack = new Stack(app, 'shop', { env: { account: '123456789012', region: 'eu-west-1' } });
  const keys = new IdempotencyTable(stack, 'Idempotency', { plan, ...props });
  const worker = new iam.Role(stack, 'ChargeWorker', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const producer = new iam.Role(stack, 'Producer', {
    assumedBy: new iam.AccountPrincipal('123456789012'),
  });
  keys.grantRecords(worker, plan.job('charge'));
  keys.grantUniqueEnqueues(producer, plan.job('report'));
  return { app, stack, keys, template: Template.fromStack(stack) };
}

function statementOf(template: Template, role: string) {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${role}`) }] },
  });
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

describe('IdempotencyTable', () => {
  it('is the plan’s table: on demand, key id, TTL on expiration, encrypted, retained', () => {
    const { template } = build();
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        TableName: 'shop--idempotency',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        // Encrypted at rest with the AWS owned key (SSEEnabled false means that key, not no encryption).
        SSESpecification: { SSEEnabled: false },
      },
    });
  });

  it('takes point-in-time recovery and a customer managed key as options', () => {
    const app = new App();
    const keyStack = new Stack(app, 'keys', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const encryptionKey = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
    const { template } = build({ pointInTimeRecovery: true, encryptionKey }, app);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
    // A grantee can use the key as well as the table.
    expect(JSON.stringify(statementOf(template, 'ChargeWorker'))).toContain('kms:Decrypt');
  });

  it('lets a job’s function use its own idempotency records only (dynamodb:LeadingKeys)', () => {
    const { template } = build();
    const statements = statementOf(template, 'ChargeWorker') as { Action: string[] }[];
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: expect.any(Array),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IdempotencyTable/), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['shop--charge#*'] } },
      },
    ]);
    expect(statements[0]?.Action.sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('lets a producer reserve unique enqueues of one job only', () => {
    const { template } = build();
    expect(statementOf(template, 'Producer')).toMatchObject([
      {
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['shop--report--unique#*'] },
        },
      },
    ]);
  });

  it('refuses a grant for a job without the key space, and a plan without a table', () => {
    const { keys, stack } = build();
    const role = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountPrincipal('1') });
    expect(() => keys.grantRecords(role, plan.job('plain'))).toThrow(
      'job "plain" has no idempotency; allowed: a job whose plan has that key space',
    );
    expect(() => keys.grantUniqueEnqueues(role, plan.job('charge'))).toThrow(
      'job "charge" has no uniqueEnqueues',
    );
    expect(
      () =>
        new IdempotencyTable(new Stack(new App(), 'bare'), 'Idempotency', {
          plan: planApp([job('plain', {})]),
        }),
    ).toThrow(/plan.idempotencyTable is undefined: no job of stack "bgjobs" has idempotency/);
  });

  it('passes cdk-nag AwsSolutions with nothing unacknowledged, with and without backups', () => {
    for (const pointInTimeRecovery of [false, true]) {
      const app = new App();
      build({ pointInTimeRecovery }, app);
      addNagChecks(app);
      expect(() => app.synth()).not.toThrow();
    }
    // The check sees tables: one without backups and without the acknowledgement fails synth.
    const app = new App();
    new dynamodb.Table(new Stack(app, 'careless'), 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    });
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });

  const cfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
  it.skipIf(!cfnLint)('synthesizes a template cfn-lint finds nothing in', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bgjobs-idempotency-'));
    try {
      const { app } = build({ pointInTimeRecovery: false }, new App({ outdir }));
      app.synth();
      const template = path.join(outdir, 'shop.template.json');
      expect(execFileSync('cfn-lint', [template], { encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
