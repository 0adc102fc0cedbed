import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './paths.ts';

const run = promisify(execFile);
const CDK_BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk');

export interface SynthRun {
  /** Wall time of the CLI, until it exited. */
  readonly ms: number;
  /** Why synth failed (the CDK error code and message); undefined when it succeeded. */
  readonly failure: string | undefined;
}

/**
 * Runs `cdk synth -q -o <outdir>` from the project root (so cdk.json's context
 * applies), with the CLI's version check, notices and telemetry off: nothing
 * leaves the machine.
 */
export async function cdkSynth(options: {
  outdir: string;
  app?: string;
  /** Added to the environment of the CLI and of the app it runs. */
  env?: Record<string, string>;
}): Promise<SynthRun> {
  const args = ['synth', '-q', '--no-notices', '-o', options.outdir];
  if (options.app) args.push('--app', options.app);
  const started = performance.now();
  try {
    await run(CDK_BIN, args, {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        ...options.env,
        CDK_DISABLE_VERSION_CHECK: '1',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      },
    });
    return { ms: performance.now() - started, failure: undefined };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return { ms: performance.now() - started, failure: synthFailure(stderr) };
  }
}

/** The CDK's own error (`«Code» message`) if there is one, else the last lines of stderr. */
function synthFailure(stderr: string): string {
  const coded = /«(\w+)»\s*([^\n]*)/.exec(stderr);
  if (coded) return `${coded[1]}: ${coded[2]}`;
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-3).join(' / ') || 'cdk synth failed without a message';
}

/** Resources in each template of a cloud assembly (nested stacks included), added up. */
export function resourceCount(outdir: string): number {
  return stackTemplates(outdir).reduce((sum, t) => sum + Object.keys(t.Resources).length, 0);
}

export interface FunctionBundle {
  readonly functionName: string;
  /** The bundle's `index.mjs` in the cloud assembly. */
  readonly file: string;
  readonly environment: Record<string, unknown>;
}

/** Each Lambda function of each stack in a cloud assembly, with its bundle (via `aws:asset:path`). */
export function functionBundles(outdir: string): FunctionBundle[] {
  const bundles: FunctionBundle[] = [];
  for (const template of stackTemplates(outdir)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      const file = assetPath ? path.join(outdir, assetPath, 'index.mjs') : '';
      if (!existsSync(file))
        throw new Error(`${id}: no bundle at ${file || '(no aws:asset:path)'}`);
      bundles.push({
        functionName: String(resource.Properties.FunctionName ?? id),
        file,
        environment: resource.Properties.Environment?.Variables ?? {},
      });
    }
  }
  return bundles;
}

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, string>;
  Properties: { FunctionName?: unknown; Environment?: { Variables?: Record<string, unknown> } };
}

/** Every template file of a cloud assembly: each stack's, then the nested stacks' below it (via `aws:asset:path`). */
export function assemblyTemplateFiles(outdir: string): string[] {
  const manifest = readJson(path.join(outdir, 'manifest.json')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const pending = Object.values(manifest.artifacts)
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map((a) => a.properties?.templateFile ?? '');
  const files: string[] = [];
  for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
    files.push(path.join(outdir, file));
    const template = readJson(path.join(outdir, file)) as {
      Resources: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources)) {
      const nested = resource.Metadata?.['aws:asset:path'];
      if (resource.Type === 'AWS::CloudFormation::Stack' && nested) pending.push(nested);
    }
  }
  return files;
}

function stackTemplates(outdir: string): { Resources: Record<string, TemplateResource> }[] {
  return assemblyTemplateFiles(outdir).map(
    (file) => readJson(file) as { Resources: Record<string, TemplateResource> },
  );
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}
