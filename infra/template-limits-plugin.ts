import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type App,
  Aspects,
  CfnResource,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { JobStack } from './job-stack.ts';
import {
  resourceCountProblem,
  TEMPLATE_LIMITS,
  type TemplateLimits,
  templateProblems,
} from './template-limits.ts';

/**
 * Synth fails on a template over a CloudFormation or CloudWatch limit, with
 * every problem listed: it reads each stack's template as written to the
 * cloud assembly, before any deploy.
 */
export class TemplateLimitsPlugin implements IPolicyValidationPlugin {
  readonly name = 'bgjobs-template-limits';
  readonly #limits: TemplateLimits;

  constructor(limits: TemplateLimits = TEMPLATE_LIMITS) {
    this.#limits = limits;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const first = context.templatePaths[0];
    if (first === undefined) return { success: true, violations: [] };
    const outdir = path.dirname(first);
    const stacks = context.appConstruct.node.findAll().filter(Stack.isStack);
    const violations = stacks.flatMap((stack) => {
      const templatePath = path.join(outdir, stack.templateFile);
      const problems = templateProblems(
        { label: stackLabel(stack), text: readFileSync(templatePath, 'utf8') },
        this.#limits,
      );
      return problems.map((description) => ({
        ruleName: 'template-limits',
        description,
        violatingResources: [{ templatePath, locations: [], constructPath: stack.node.path }],
        severity: 'error',
      }));
    });
    return { success: violations.length === 0, violations };
  }
}

/**
 * Adds the template limits to the app's synth: resources per stack are
 * counted on the construct tree (before CDK's own check, whose message does
 * not say what to do), the rest on the written templates.
 */
export function addTemplateLimits(app: App, limits: TemplateLimits = TEMPLATE_LIMITS): void {
  Validations.of(app).addPlugins(new TemplateLimitsPlugin(limits));
  Aspects.of(app).add({
    visit(node) {
      if (!Stack.isStack(node)) return;
      node.node.addValidation({
        validate: () => {
          const count = node.node
            .findAll()
            .filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === node).length;
          const problem = resourceCountProblem(stackLabel(node), count, limits);
          return problem ? [problem] : [];
        },
      });
    },
  });
}

function stackLabel(stack: Stack): string {
  if (stack instanceof JobStack) return `stack ${stack.node.path} (job "${stack.jobName}")`;
  return `stack ${stack.node.path}`;
}
