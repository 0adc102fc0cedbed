import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Imports the bundle in a fresh process and reports how long the import took. */
const PROBE = `
const started = performance.now();
const bundle = await import(process.env.BENCH_BUNDLE_URL);
const ready = performance.now();
if (typeof bundle.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ importMs: ready - started, readyMs: ready }));
`;

export interface InitTime {
  /** From the start of `import()` until the module graph ran: the init phase's own work. */
  readonly importMs: number;
  /** From process start until the handler is ready, Node.js boot included. */
  readonly readyMs: number;
}

/**
 * Module init of a bundle in a fresh Node.js process, with the flags the stack
 * gives the function (`--enable-source-maps`) and only the environment given.
 * `@aws-sdk/*` is external in the bundles: it resolves from the `node_modules`
 * above the bundle's folder, as ESM resolution walks up from the importing file
 * (NODE_PATH does not apply to ESM), so bundles must sit inside the repository.
 */
export async function initTime(file: string, env: Record<string, string>): Promise<InitTime> {
  const { stdout } = await run(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', PROBE],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        BENCH_BUNDLE_URL: pathToFileURL(file).href,
      },
    },
  );
  return JSON.parse(stdout) as InitTime;
}
