/**
 * fauxqs in a process of its own (`node --import tsx bench/lib/sqs-process.ts`):
 * prints `endpoint <url>` once it listens, and runs until killed. A publisher
 * then does not share its event loop with the endpoint, as with real SQS.
 */
import { spawn } from 'node:child_process';
import { startSqsServer } from '../../local/sqs/server.ts';

export async function startSqsProcess(): Promise<{ endpoint: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /endpoint (\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the SQS process exited with ${code}`)));
  });
  return { endpoint, stop: () => child.kill() };
}

if (process.argv[2] === 'serve') {
  const server = await startSqsServer({ port: 0, dataDir: undefined });
  console.log(`endpoint ${server.endpoint}`);
}
