import { BgjobsError } from '../../core/errors.ts';

/** What `patches/fauxqs+2.4.1.patch` adds to fauxqs's `dist/sqs/sqsTypes.js`. */
export interface PatchedSqsTypes {
  readonly INVALID_MESSAGE_BODY_CHAR?: RegExp;
  readonly messageAttributesProblem?: unknown;
}

const EMOJI = '\u{1F600}';

/**
 * Refuses to go on with a fauxqs that lacks bgjobs's patch (`npm ci` applies it
 * in `postinstall`; `--ignore-scripts` or a bare `npm install fauxqs` loses it).
 * patch-package applies a patch file whole or not at all, so checking the body
 * rule and the attribute rules stands for the persistence fix as well.
 */
export function assertFauxqsPatched(sqsTypes: PatchedSqsTypes): void {
  const patched =
    typeof sqsTypes.messageAttributesProblem === 'function' &&
    sqsTypes.INVALID_MESSAGE_BODY_CHAR?.test(EMOJI) === false;
  if (!patched) {
    throw new BgjobsError(
      'fauxqs in node_modules lacks the fixes of patches/fauxqs+2.4.1.patch (without them a persisted queue loses messages whose visibility is set to 0, and bodies with emoji are refused): run `npm ci`, whose postinstall applies it, or `npx patch-package`',
    );
  }
}
