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
