/**
 * `bgjobs`: a thin shell over the client library. Each command parses its
 * arguments, calls `client/` (or the local runtime, or a job's handler), and
 * prints the result; the exit code says what happened (see EXIT).
 */
import { CommanderError } from 'commander';
import { errorLine, exitCodeOf } from './errors.ts';
import { createProgram } from './program.ts';

const program = createProgram();
try {
  await program.parseAsync();
} catch (error) {
  process.exitCode = exitCodeOf(error);
  // Commander has already printed its own usage errors.
  if (!(error instanceof CommanderError)) {
    process.stderr.write(`bgjobs: ${errorLine(error)}\n`);
    if (program.opts().debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  }
}
