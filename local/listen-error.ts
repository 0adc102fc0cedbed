import type { Server } from 'node:http';
import { BgjobsError } from '../core/errors.ts';

/** Names the endpoint and the port when listening fails, most often because the port is taken. */
export function listenError(what: string, port: number, error: unknown): BgjobsError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE' ? 'is in use' : `could not be opened (${(error as Error).message})`;
  return new BgjobsError(`${what}: port ${port} on 127.0.0.1 ${why}`, { cause: error });
}

/**
 * Listens on 127.0.0.1 only, and resolves with the port bound (0 picks a free one).
 * A port out of range, or one that cannot be opened, is an error naming `what`.
 *
 * @example
 * const port = await listenLocal(server, options.port, 'Lambda endpoint');
 */
export async function listenLocal(server: Server, port: number, what: string): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new BgjobsError(
      `${what}: port is ${port}; allowed: an integer from 0 to 65535 (0 picks a free port)`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(listenError(what, port, error));
    server.once('error', onError);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/**
 * Closes an endpoint's server and its open connections (long polls, streams).
 * A second call finds it closed already: nothing left to do.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error?: NodeJS.ErrnoException) => {
      if (error && error.code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeAllConnections();
  });
}
