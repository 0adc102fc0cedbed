/**
 * How a job's Lambda bundle is made: one definition that the stack
 * (`infra/job-code.ts`, esbuild's JS API at synth; NodejsFunction's props say the same), the
 * local runtime (`local/lambda/job-bundle.ts`, esbuild's JS API) and the
 * benchmarks read, so that all three run the same bytes.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { JobDefinition } from '../core/job.ts';
import type { JobSettings } from '../core/settings.ts';

/** The project root: esbuild runs from here, and bundles sit below it so `@aws-sdk/*` resolves. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/** The module name the shared entry imports; each bundle aliases it to one job's file. */
export const JOB_MODULE = 'bgjobs-job-module';

export const JOB_BUNDLING = {
  /** Every job's entry: it picks the job named by `BGJOBS_JOB_NAME` from the aliased module. */
  entry: path.join(PROJECT_ROOT, 'functions', 'job-entry.ts'),
  /** What NodejsFunction names an ESM bundle in its asset folder. */
  outputFile: 'index.mjs',
  /** The Lambda runtime is nodejs24.x. */
  target: 'node24',
  format: 'esm',
  minify: true,
  /** Minifying renames classes: without this, `PayloadValidationError.name` would be `st`. */
  keepNames: true,
  /** A linked `index.mjs.map`, read when `NODE_OPTIONS=--enable-source-maps`. */
  sourceMap: true,
  /** The Node.js 24 runtime ships SDK v3; locally it resolves from the project's `node_modules`. */
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  /** ESM output still meets CommonJS dependencies that call require(). */
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
} as const;

/** The module `defineJob` comes from (core/package.json `imports`); a bundle swaps it for the light one. */
export const DEFINITION_MODULE = '#job-definition';
/** `defineJob` without its checks, given the job's resolved settings at bundle time. */
export const BUNDLED_DEFINITION = path.join(PROJECT_ROOT, 'functions', 'bundled-definition.ts');
/** The constant esbuild writes into a bundle (its `define`): the bundled job's name and settings. */
export const BUNDLED_JOB_CONSTANT = 'BGJOBS_BUNDLED_JOB';

/**
 * Defined `true` in the bundle of a job without idempotency: the guard's
 * dynamic import then folds away, and Powertools' idempotency, JMESPath and the
 * DynamoDB store are not in the bundle at all (about 45 KB). Undefined outside
 * a bundle (the source under tsx and the tests), where the import stays.
 */
export const WITHOUT_IDEMPOTENCY_CONSTANT = 'globalThis.BGJOBS_BUNDLE_WITHOUT_IDEMPOTENCY';

/** What a job's bundle is told at bundle time: which job it runs, with the settings synth resolved. */
export interface BundledJob {
  readonly name: string;
  readonly settings: JobSettings;
  /** The resolved time to live of an idempotent job's keys (its key function stays in the job's file). */
  readonly idempotency?: { readonly ttlSeconds: number };
}

/** The parts of a job its bundle is told about. */
export type BundledJobSource = Pick<JobDefinition, 'name' | 'settings'> &
  Partial<Pick<JobDefinition, 'idempotency'>>;

/** What makes a bundle one job's: its aliases and its defined constant. */
export interface JobBundleSpecifics {
  readonly alias: Record<string, string>;
  readonly define: Record<string, string>;
}

/**
 * One job's part of its bundle: `bgjobs-job-module` is the job's file, and
 * `defineJob` is the light one, given the job's resolved settings (the checks
 * of the full one already ran at synth and when the local runtime loaded the file).
 *
 * @example
 * jobBundleSpecifics('jobs/process.ts', processJob)
 */
export function jobBundleSpecifics(jobFile: string, job: BundledJobSource): JobBundleSpecifics {
  const bundled: BundledJob = {
    name: job.name,
    settings: job.settings,
    ...(job.idempotency && { idempotency: { ttlSeconds: job.idempotency.ttlSeconds } }),
  };
  return {
    alias: { [JOB_MODULE]: jobFile, [DEFINITION_MODULE]: BUNDLED_DEFINITION },
    define: {
      [BUNDLED_JOB_CONSTANT]: JSON.stringify(bundled),
      [WITHOUT_IDEMPOTENCY_CONSTANT]: String(!job.idempotency),
    },
  };
}

/** The same, as NodejsFunction's `esbuildArgs` (`--alias:<module>=<file>`, `--define:<name>=<json>`). */
export function jobEsbuildArgs(jobFile: string, job: BundledJobSource): Record<string, string> {
  const { alias, define } = jobBundleSpecifics(jobFile, job);
  return Object.fromEntries([
    ...Object.entries(alias).map(([name, file]) => [`--alias:${name}`, file]),
    ...Object.entries(define).map(([name, value]) => [`--define:${name}`, value]),
  ]);
}

/**
 * esbuild JS API options that produce what NodejsFunction's esbuild CLI call
 * produces (`--bundle --target --platform=node --format --outfile --minify
 * --sourcemap --external --keep-names --banner:js --main-fields --alias
 * --define`, run from the project root). `entry` defaults to the job entry;
 * the benchmarks bundle other entries with the same settings.
 *
 * @example
 * await esbuild.build(esbuildOptions({ outfile, ...jobBundleSpecifics('jobs/process.ts', processJob) }));
 */
export function esbuildOptions(options: {
  outfile: string;
  alias: Record<string, string>;
  define?: Record<string, string>;
  entry?: string;
}): BuildOptions {
  return {
    entryPoints: [options.entry ?? JOB_BUNDLING.entry],
    outfile: options.outfile,
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: JOB_BUNDLING.target,
    format: JOB_BUNDLING.format,
    minify: JOB_BUNDLING.minify,
    keepNames: JOB_BUNDLING.keepNames,
    sourcemap: JOB_BUNDLING.sourceMap,
    external: [...JOB_BUNDLING.externalModules],
    mainFields: [...JOB_BUNDLING.mainFields],
    banner: { js: JOB_BUNDLING.banner },
    alias: options.alias,
    define: options.define ?? {},
  };
}
