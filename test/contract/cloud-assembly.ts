import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../functions/bundling.ts';

const run = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin');

/** A Lambda function of the synthesized template, with its bundle in the cloud assembly. */
export interface SynthesizedFunction {
  readonly functionName: string;
  readonly memoryMB: number;
  /** `index.mjs` in the function's asset folder. */
  readonly bundleFile: string;
  /** The function's variables as the template sets them: strings, or `{ Ref }` to a queue. */
  readonly variables: Record<string, unknown>;
}

/**
 * `cdk synth -q -o <outdir>` with the project's CLI, from the project root, as
 * a user runs it (version check, notices and telemetry off: nothing leaves the machine).
 */
export async function cdkSynth(outdir: string): Promise<void> {
  await run(path.join(BIN, 'cdk'), ['synth', '-q', '--no-notices', '-o', outdir], {
    cwd: PROJECT_ROOT,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      // The app runs with `node --import tsx`: the project's Node.js 24 first.
      PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`,
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    },
  });
}

/**
 * Every `AWS::Lambda::Function` of the cloud assembly's stacks (the app's and
 * each job's), its bundle found through `aws:asset:path`.
 */
export function synthesizedFunctions(outdir: string): SynthesizedFunction[] {
  const manifest = readJson(path.join(outdir, 'manifest.json')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const templates = Object.values(manifest.artifacts)
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map((a) => readJson(path.join(outdir, a.properties?.templateFile ?? '')) as Template);
  return templates
    .flatMap((template) => Object.values(template.Resources ?? {}))
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => ({
      functionName: resource.Properties.FunctionName,
      memoryMB: resource.Properties.MemorySize,
      bundleFile: path.join(outdir, resource.Metadata['aws:asset:path'] ?? '', 'index.mjs'),
      variables: resource.Properties.Environment.Variables,
    }));
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

interface Template {
  Resources?: Record<string, Resource>;
}

interface Resource {
  Type: string;
  Metadata: Record<string, string>;
  Properties: {
    FunctionName: string;
    MemorySize: number;
    Environment: { Variables: Record<string, unknown> };
  };
}
