import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertFauxqsPatched, type PatchedSqsTypes } from '../../../local/sqs/fauxqs-patch.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const PATCH = path.join(ROOT, 'patches', 'fauxqs+2.4.1.patch');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The installed fauxqs's `dist/sqs/sqsTypes.js`, found as local/sqs/server.ts finds it. */
async function installedSqsTypes(): Promise<PatchedSqsTypes> {
  const dist = path.dirname(fileURLToPath(import.meta.resolve('fauxqs')));
  return import(pathToFileURL(path.join(dist, 'sqs', 'sqsTypes.js')).href);
}

describe('the fauxqs patch', () => {
  it('is applied on every install: postinstall runs patch-package on the pinned fauxqs 2.4.1', () => {
    expect(existsSync(PATCH)).toBe(true);
    expect(packageJson.scripts.postinstall).toBe('patch-package');
    // The patch is made for this version; a new one needs the patch made again (or dropped).
    expect(packageJson.devDependencies.fauxqs).toBe('2.4.1');
    expect(packageJson.devDependencies['patch-package']).toMatch(/^\^8\./);
  });

  it('is in the installed fauxqs (else: run npm ci, or npx patch-package)', async () => {
    // When the postinstall did not run, this throws the message that names the fix.
    assertFauxqsPatched(await installedSqsTypes());
  });

  it('refuses an unpatched fauxqs with a message that names the fix', () => {
    const unpatched = {
      // fauxqs 2.4.1 as published: no `u` flag, no astral range, no attribute rules.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: fauxqs's own pattern
      INVALID_MESSAGE_BODY_CHAR: /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/,
    };
    expect(() => assertFauxqsPatched(unpatched)).toThrow(
      /^fauxqs in node_modules lacks the fixes of patches\/fauxqs\+2\.4\.1\.patch .*: run `npm ci`, whose postinstall applies it, or `npx patch-package`$/,
    );
  });
});
