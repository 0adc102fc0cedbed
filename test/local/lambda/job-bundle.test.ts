import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import { PROJECT_ROOT } from '../../../functions/bundling.ts';
import { bundleDir, jobBundle } from '../../../local/lambda/job-bundle.ts';

// Below the project root, as the runtime's cache is, so that the job resolves `zod` and `core/`.
let root: string;
let jobFile: string;
let helperFile: string;
const core = path.join(PROJECT_ROOT, 'core', 'index.ts');

function writeJob(greeting: string): void {
  writeFileSync(helperFile, `export const greeting = ${JSON.stringify(greeting)};\n`);
}

beforeAll(() => {
  mkdirSync(path.join(PROJECT_ROOT, '.bgjobs'), { recursive: true });
  root = mkdtempSync(path.join(PROJECT_ROOT, '.bgjobs', 'test-bundle-'));
  jobFile = path.join(root, 'jobs', 'hello.ts');
  helperFile = path.join(root, 'jobs', 'greeting.ts');
  mkdirSync(path.dirname(jobFile));
  writeFileSync(
    jobFile,
    [
      "import * as z from 'zod';",
      `import { defineJob } from ${JSON.stringify(core)};`,
      "import { greeting } from './greeting.ts';",
      "export const helloJob = defineJob({ name: 'hello', schema: z.object({}), handler: async (_p, ctx) => ctx.logger.info(greeting) });",
    ].join('\n'),
  );
  writeJob('first greeting');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hello = defineJob({ name: 'hello', schema: z.object({}), handler: () => {} });
const build = () => jobBundle({ job: hello, jobFile, dir: path.join(root, 'bundle') });

describe("a job's local bundle", () => {
  it('is cached under .bgjobs/bundles, in a folder named after the job file', () => {
    expect(bundleDir(path.join(PROJECT_ROOT, 'jobs', 'process.ts'))).toBe(
      path.join(PROJECT_ROOT, '.bgjobs', 'bundles', 'jobs', 'process'),
    );
    expect(bundleDir(path.join(PROJECT_ROOT, 'test', 'x', 'jobs', 'a.ts'))).toBe(
      path.join(PROJECT_ROOT, '.bgjobs', 'bundles', 'test', 'x', 'jobs', 'a'),
    );
  });

  it('is built once, then taken from the cache while no input changed, even if a file was touched', async () => {
    rmSync(path.join(root, 'bundle'), { recursive: true, force: true });
    const first = await build();
    expect(first.built).toBe(true);
    expect(readFileSync(first.file, 'utf8')).toContain('first greeting');
    expect(readFileSync(`${first.file}.map`, 'utf8')).toContain('greeting.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(jobFile, later, later);
    expect((await build()).built).toBe(false);
  });

  it('is rebuilt when a file the job imports changes, not only the job file', async () => {
    writeJob('first greeting');
    await build();
    writeJob('second greeting');
    const rebuilt = await build();
    expect(rebuilt.built).toBe(true);
    expect(readFileSync(rebuilt.file, 'utf8')).toContain('second greeting');
    expect((await build()).built).toBe(false);
  });

  it('is rebuilt when the bundle itself was changed or removed', async () => {
    writeJob('third greeting');
    const { file } = await build();
    writeFileSync(file, 'export const handler = 1;');
    expect((await build()).built).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('third greeting');
    rmSync(`${file}.map`);
    expect((await build()).built).toBe(true);
  });

  it('names the job and the place when the job cannot be bundled', async () => {
    writeFileSync(helperFile, 'export const greeting = ;\n');
    await expect(build()).rejects.toThrow(
      /^job "hello": esbuild could not bundle .*hello\.ts: .*greeting\.ts:1: Unexpected ";"/,
    );
  });

  it('names the job when its file does not exist', async () => {
    await expect(
      jobBundle({
        job: { ...hello, name: 'gone' },
        jobFile: path.join(root, 'jobs', 'gone.ts'),
        dir: root,
      }),
    ).rejects.toThrow(/^job "gone": its file .*gone\.ts does not exist/);
  });
});
