/**
 * The limits a synthesized template must stay within, checked before
 * CloudFormation sees it. Each problem names the stack, the figure and the
 * limit; docs/deploy.md cites where each limit is documented.
 */
export const TEMPLATE_LIMITS = {
  /** CloudFormation: resources per template. */
  resources: 500,
  /** CloudFormation: bytes of a template uploaded to S3 (cfn-lint E1002). */
  templateBytes: 1_000_000,
  /** CloudFormation: outputs per template. */
  outputs: 200,
  /** CloudWatch: widgets per dashboard. */
  dashboardWidgets: 500,
  /** CloudWatch: metrics and expressions per graph. */
  widgetMetrics: 500,
  /** CloudWatch: metrics per dashboard, across its graphs, expressions counted too. */
  dashboardMetrics: 2_500,
} as const;

export type TemplateLimits = { readonly [K in keyof typeof TEMPLATE_LIMITS]: number };

const SPLIT = 'deploy some of the jobs as another stack (another registry, -c stackName=...)';

/** Too many resources in one stack; checked on the construct tree, before CDK's own check. */
export function resourceCountProblem(
  label: string,
  count: number,
  limits: TemplateLimits = TEMPLATE_LIMITS,
): string | undefined {
  if (count <= limits.resources) return undefined;
  return `${label}: ${n(count)} resources; CloudFormation takes at most ${n(limits.resources)} per template.`;
}

/** A template as written to the cloud assembly, and who it belongs to. */
export interface WrittenTemplate {
  /** The stack, e.g. `bgjobs`, or `bgjobs/Job-process (job "process")`. */
  readonly label: string;
  /** The file's text, as CloudFormation receives it. */
  readonly text: string;
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Every limit the template breaks; an empty list when it fits. */
export function templateProblems(
  template: WrittenTemplate,
  limits: TemplateLimits = TEMPLATE_LIMITS,
): string[] {
  const problems: string[] = [];
  const json = JSON.parse(template.text) as {
    Resources?: Record<string, Resource>;
    Outputs?: Record<string, unknown>;
  };
  const resources = Object.entries(json.Resources ?? {});
  const bytes = Buffer.byteLength(template.text);
  if (bytes > limits.templateBytes) {
    problems.push(
      `${template.label}: the template is ${n(bytes)} bytes; CloudFormation takes at most ${n(limits.templateBytes)}: ${SPLIT}.`,
    );
  }
  const outputs = Object.keys(json.Outputs ?? {}).length;
  if (outputs > limits.outputs) {
    problems.push(
      `${template.label}: ${n(outputs)} outputs; CloudFormation takes at most ${n(limits.outputs)} per template.`,
    );
  }
  for (const [id, resource] of resources) {
    if (resource.Type === 'AWS::CloudWatch::Dashboard') {
      problems.push(...dashboardProblems(template.label, id, resource, limits));
    }
  }
  return problems;
}

function dashboardProblems(
  label: string,
  id: string,
  resource: Resource,
  limits: TemplateLimits,
): string[] {
  const problems: string[] = [];
  const widgets = dashboardBody(resource.Properties?.DashboardBody).widgets ?? [];
  if (widgets.length > limits.dashboardWidgets) {
    problems.push(
      `${label}: dashboard ${id} has ${n(widgets.length)} widgets; CloudWatch takes at most ${n(limits.dashboardWidgets)}.`,
    );
  }
  let total = 0;
  for (const widget of widgets) {
    const count = widget.properties?.metrics?.length ?? 0;
    total += count;
    if (count > limits.widgetMetrics) {
      problems.push(
        `${label}: dashboard ${id}, graph "${widget.properties?.title ?? '(untitled)'}" has ${n(count)} metrics and expressions; CloudWatch takes at most ${n(limits.widgetMetrics)} per graph.`,
      );
    }
  }
  if (total > limits.dashboardMetrics) {
    problems.push(
      `${label}: dashboard ${id} has ${n(total)} metrics and expressions; CloudWatch takes at most ${n(limits.dashboardMetrics)} per dashboard (each job adds one to each overview graph): ${SPLIT}.`,
    );
  }
  return problems;
}

interface DashboardBody {
  readonly widgets?: { readonly properties?: { title?: string; metrics?: unknown[] } }[];
}

/** A dashboard body is JSON text, or an Fn::Join of text and tokens; tokens sit inside JSON strings. */
function dashboardBody(body: unknown): DashboardBody {
  if (typeof body === 'string') return JSON.parse(body) as DashboardBody;
  const join = (body as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return {};
  const text = join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
  return JSON.parse(text) as DashboardBody;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
