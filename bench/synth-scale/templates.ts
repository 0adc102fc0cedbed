import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { assemblyTemplateFiles } from '../lib/cdk.ts';

const run = promisify(execFile);

/** What the templates of one synth hold, against CloudFormation's and CloudWatch's limits. */
export interface TemplateFigures {
  readonly templates: number;
  /** The app's own stack: the bus, the alarm topic, the overview dashboard. */
  readonly parentResources: number;
  readonly parentBytes: number;
  /** The largest of the jobs' stacks. */
  /** Over every template: what one deploy of everything creates. */
  readonly totalResources: number;
  readonly maxJobResources: number;
  readonly maxJobBytes: number;
  readonly alarms: number;
  readonly dashboards: number;
  /** Widgets, and metrics and expressions, of the largest dashboard. */
  readonly maxDashboardWidgets: number;
  readonly maxDashboardMetrics: number;
}

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export function templateFigures(outdir: string): TemplateFigures {
  const files = assemblyTemplateFiles(outdir);
  const written = files.map((file) => {
    const text = readFileSync(file, 'utf8');
    return { bytes: Buffer.byteLength(text), template: JSON.parse(text) as Template };
  });
  const isJob = (w: { template: Template }) =>
    Object.values(w.template.Resources).some((r) => r.Type === 'AWS::Lambda::Function');
  const parent = written.find((w) => !isJob(w));
  const jobs = written.filter(isJob);
  if (!parent) throw new Error(`no app stack template in ${outdir}`);
  const resources = written.flatMap((w) => Object.values(w.template.Resources));
  const dashboards = resources
    .filter((r) => r.Type === 'AWS::CloudWatch::Dashboard')
    .map((r) => dashboardSize(r.Properties?.DashboardBody));
  const count = (w: { template: Template }) => Object.keys(w.template.Resources).length;
  return {
    templates: written.length,
    parentResources: count(parent),
    parentBytes: parent.bytes,
    totalResources: written.reduce((sum, w) => sum + count(w), 0),
    maxJobResources: Math.max(0, ...jobs.map(count)),
    maxJobBytes: Math.max(0, ...jobs.map((w) => w.bytes)),
    alarms: resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length,
    dashboards: dashboards.length,
    maxDashboardWidgets: Math.max(0, ...dashboards.map((d) => d.widgets)),
    maxDashboardMetrics: Math.max(0, ...dashboards.map((d) => d.metrics)),
  };
}

function dashboardSize(body: unknown): { widgets: number; metrics: number } {
  const join = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1].map((p) => (typeof p === 'string' ? p : 'T')).join(join[0]);
  const widgets = (JSON.parse(text) as { widgets: { properties: { metrics?: unknown[] } }[] })
    .widgets;
  return {
    widgets: widgets.length,
    metrics: widgets.reduce((sum, w) => sum + (w.properties.metrics?.length ?? 0), 0),
  };
}

export interface LintFigures {
  readonly templates: number;
  readonly errors: number;
  readonly warnings: number;
  /** The rules that warned, with how often. */
  readonly warningRules: Record<string, number>;
  readonly ms: number;
}

/** cfn-lint over every template of a synth, or undefined when cfn-lint is not on the PATH. */
export async function lintFigures(outdir: string): Promise<LintFigures | undefined> {
  const files = assemblyTemplateFiles(outdir);
  const started = performance.now();
  let output: string;
  try {
    output = (await run('cfn-lint', ['--format', 'parseable', ...files], { maxBuffer: 1 << 26 }))
      .stdout;
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string };
    if (failed.code === 'ENOENT') return undefined;
    output = failed.stdout ?? '';
  }
  const ms = performance.now() - started;
  // parseable: file:line:col:line:col:RULE:message
  const rules = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(':')[5] ?? '');
  const warningRules: Record<string, number> = {};
  for (const rule of rules.filter((r) => r.startsWith('W'))) {
    warningRules[rule] = (warningRules[rule] ?? 0) + 1;
  }
  return {
    templates: files.length,
    errors: rules.filter((r) => r.startsWith('E')).length,
    warnings: rules.filter((r) => r.startsWith('W')).length,
    warningRules,
    ms,
  };
}
