import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { JobDefinition } from '../../core/job.ts';
import { JobsStack, type JobsStackProps } from '../../infra/jobs-stack.ts';

export const FIXTURE_JOBS_DIR = path.join(import.meta.dirname, 'fixtures', 'jobs');
export const JOBS_DIR = path.resolve(import.meta.dirname, '..', '..', 'jobs');

/** The context of cdk.json (the pinned feature flags): what `cdk synth` gives the app. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app with cdk.json's context, as `cdk synth` runs it, that skips esbuild
 * bundling: the templates keep the real functions, with placeholder code.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
}

export interface SynthOptions extends Omit<JobsStackProps, 'jobs'> {
  readonly stackName?: string;
  readonly app?: App;
}

/** The app's stack and, per job, the template of its own stack. */
export function synthStack(jobs: readonly JobDefinition[], options: SynthOptions = {}) {
  const { stackName = 'bgjobs', app = testApp(), ...props } = options;
  const stack = new JobsStack(app, stackName, { jobsDir: JOBS_DIR, ...props, jobs });
  const jobTemplates = new Map<string, Template>();
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    /** The template of a job's stack. */
    job(name: string): Template {
      let template = jobTemplates.get(name);
      if (!template) {
        const jobStack = stack.jobs.get(name);
        if (!jobStack) throw new Error(`no job "${name}" in the app`);
        template = Template.fromStack(jobStack);
        jobTemplates.set(name, template);
      }
      return template;
    },
  };
}

export type Resource = { Type: string; Properties: Record<string, unknown> } & Record<
  string,
  unknown
>;

export function resources(t: Template, type: string): Resource[] {
  return Object.values(t.findResources(type)) as Resource[];
}

/** The one logical id of a resource of `type` with these properties. */
export function logicalId(t: Template, type: string, properties: Record<string, unknown>): string {
  const ids = Object.keys(t.findResources(type, { Properties: properties }));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

type Token = { Ref: string } | { 'Fn::GetAtt': string[] };

/** A CloudFormation token as the dashboard tests spell it: `{{LogicalId}}` or `{{LogicalId.Attribute}}`. */
const tokenText = (ref: Token) => `{{${('Ref' in ref ? [ref.Ref] : ref['Fn::GetAtt']).join('.')}}}`;

export interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: unknown[][];
    readonly alarms?: string[];
  };
}

/** The widgets of the one dashboard in a template: its body is an Fn::Join of JSON text and tokens. */
export function dashboardWidgets(t: Template): { name: unknown; widgets: Widget[] } {
  const [dashboard, ...others] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboard === undefined || others.length > 0) throw new Error('expected one dashboard');
  const body = dashboard.Properties.DashboardBody;
  const [, parts] = body['Fn::Join'] as [string, unknown[]];
  const text = parts.map((part) => (typeof part === 'string' ? part : tokenText(part as Token)));
  return { name: dashboard.Properties.DashboardName, widgets: JSON.parse(text.join('')).widgets };
}
