/**
 * The bundle a job's local workers run: built in-process with esbuild from the
 * definition the stack uses (functions/bundling.ts), so it is byte for byte
 * what `cdk deploy` ships, and cached until one of its inputs changes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, version as esbuildVersion, type Message } from 'esbuild';
import { BgjobsError } from '../../core/errors.ts';
import type { JobDefinition } from '../../core/job.ts';
import {
  esbuildOptions,
  JOB_BUNDLING,
  jobBundleSpecifics,
  PROJECT_ROOT,
} from '../../functions/bundling.ts';

/** Where the inputs of a cached bundle and their content hashes are kept, next to it. */
const MANIFEST = 'inputs.json';

export interface JobBundle {
  /** The bundle's `index.mjs`; its source map is beside it. */
  readonly file: string;
  /** False when the cached bundle was still current. */
  readonly built: boolean;
}

interface Manifest {
  /** The esbuild version and options: a change to either rebuilds. */
  readonly recipe: string;
  /** Every file esbuild read (relative to the project root) and the SHA-256 of its content. */
  readonly inputs: Record<string, string>;
  /** The files written, with their SHA-256, so a damaged cache is rebuilt too. */
  readonly outputs: Record<string, string>;
}

/**
 * The cache folder of a job file's bundle, below the project root so that
 * Node resolves the bundle's externals (`@aws-sdk/*`) from its `node_modules`:
 * `jobs/process.ts` -> `.bgjobs/bundles/jobs/process/`.
 */
export function bundleDir(jobFile: string, root: string = PROJECT_ROOT): string {
  const relative = path.relative(root, jobFile);
  const key = relative.startsWith('..')
    ? path.join('outside', createHash('sha256').update(jobFile).digest('hex').slice(0, 16))
    : relative.replace(/\.[cm]?[jt]s$/, '');
  return path.join(root, '.bgjobs', 'bundles', key);
}

/**
 * Returns the job's bundle in `dir`, building it when there is none, when
 * any file it was built from has changed (by content, not by date), or when
 * its settings have (they are part of the recipe). Files are
 * replaced by rename, so a runtime starting at the same time never reads half a bundle.
 */
export async function jobBundle(options: {
  /** The job the bundle runs; its resolved settings are written into the bundle. */
  job: Pick<JobDefinition, 'name' | 'settings'>;
  jobFile: string;
  dir: string;
}): Promise<JobBundle> {
  const { job, jobFile, dir } = options;
  const jobName = job.name;
  if (!existsSync(jobFile)) {
    throw new BgjobsError(
      `job "${jobName}": its file ${jobFile} does not exist; a job lives in <jobs folder>/<name>.ts, named after the job`,
    );
  }
  const file = path.join(dir, JOB_BUNDLING.outputFile);
  const buildOptions = esbuildOptions({ outfile: file, ...jobBundleSpecifics(jobFile, job) });
  const recipe = JSON.stringify({ esbuild: esbuildVersion, options: buildOptions });
  if (isCurrent(dir, recipe)) return { file, built: false };

  const result = await build({
    ...buildOptions,
    write: false,
    metafile: true,
    logLevel: 'silent',
  }).catch((error: { errors?: Message[] }) => {
    throw new BgjobsError(
      `job "${jobName}": esbuild could not bundle ${jobFile}: ${describe(error.errors) || String(error)}`,
      { cause: error },
    );
  });
  mkdirSync(dir, { recursive: true });
  const outputs: Record<string, string> = {};
  for (const output of result.outputFiles) {
    writeAtomically(output.path, output.contents);
    outputs[path.basename(output.path)] = sha256(output.contents);
  }
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    // `<define:...>` is esbuild's name for a defined constant: the recipe holds it.
    if (input.startsWith('<')) continue;
    inputs[input] = sha256(readFileSync(path.resolve(PROJECT_ROOT, input)));
  }
  const manifest: Manifest = { recipe, inputs, outputs };
  writeAtomically(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 1));
  return { file, built: true };
}

function isCurrent(dir: string, recipe: string): boolean {
  const manifest = readManifest(path.join(dir, MANIFEST));
  if (manifest?.recipe !== recipe || !manifest.outputs[JOB_BUNDLING.outputFile]) return false;
  const unchanged = (file: string, hash: string) =>
    existsSync(file) && sha256(readFileSync(file)) === hash;
  return (
    Object.entries(manifest.outputs).every(([name, hash]) =>
      unchanged(path.join(dir, name), hash),
    ) &&
    Object.entries(manifest.inputs).every(([input, hash]) =>
      unchanged(path.resolve(PROJECT_ROOT, input), hash),
    )
  );
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
    const { recipe, inputs, outputs } = manifest;
    return typeof recipe === 'string' && isRecord(inputs) && isRecord(outputs)
      ? { recipe, inputs, outputs }
      : undefined;
  } catch {
    // No cache yet, or a damaged one: either way the bundle is built again.
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function writeAtomically(file: string, contents: Uint8Array | string): void {
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

function sha256(contents: Uint8Array | string): string {
  return createHash('sha256').update(contents).digest('hex');
}

function describe(errors: Message[] | undefined): string {
  return (errors ?? [])
    .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
    .join('; ');
}
