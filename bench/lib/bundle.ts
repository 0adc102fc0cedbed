import { build } from 'esbuild';
import { esbuildOptions } from '../../functions/bundling.ts';

/**
 * Bundles `entry` into `outfile` (`.mjs`) with the settings the stack gives
 * every job function (functions/bundling.ts, the one definition the stack and
 * the local runtime also read). Returns the bytes of the output by origin: an
 * npm package, or a project folder.
 */
export async function bundleLikeTheStack(options: {
  entry: string;
  outfile: string;
  alias?: Record<string, string>;
  define?: Record<string, string>;
}): Promise<Record<string, number>> {
  const { metafile } = await build({
    ...esbuildOptions({
      entry: options.entry,
      outfile: options.outfile,
      alias: options.alias ?? {},
      define: options.define ?? {},
    }),
    metafile: true,
    logLevel: 'error',
  });
  const bytes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const origin = originOf(input);
      bytes[origin] = (bytes[origin] ?? 0) + bytesInOutput;
    }
  }
  return bytes;
}

/** `node_modules/@scope/pkg/x.js` is `@scope/pkg`; `core/x.ts` is `core/`. */
function originOf(input: string): string {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return parts.length > 1 ? `${parts[0]}/` : input;
  const name = parts[at + 1] ?? '';
  return name.startsWith('@') ? `${name}/${parts[at + 2]}` : name;
}
