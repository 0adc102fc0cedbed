import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProcessMemory } from '../../client/local-memory.ts';
import { BgjobsError } from '../../core/errors.ts';
import type { EndpointConfig, FromEndpoint, ToEndpoint } from './endpoint-protocol.ts';

const ENTRY = new URL('./endpoint-process.ts', import.meta.url);
/** V8's compiled code of fauxqs and its dependencies, kept across starts (`.bgjobs/` is git-ignored). */
const COMPILE_CACHE = fileURLToPath(new URL('../../.bgjobs/compile-cache', import.meta.url));
/** How long `stop()` waits for the process to close fauxqs and exit before killing it. */
const STOP_LIMIT_MS = 5000;

export interface SqsProcess {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** The endpoint process's own memory; undefined once it has ended. */
  memory(): Promise<ProcessMemory | undefined>;
  /** Closes fauxqs (and its SQLite state) and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded SQS endpoint (`local/sqs/server.ts`) in a process of its
 * own (`endpoint-process.ts`), which ends with this one, even on `kill -9`.
 * Start errors (port in use, data folder not writable, unpatched fauxqs) are
 * thrown here with the endpoint's own message. `onExit` hears of the process
 * ending by itself afterwards: a crash, or someone killing it.
 */
export async function startSqsProcess(
  options: EndpointConfig & { readonly onExit: (error: BgjobsError) => void },
): Promise<SqsProcess> {
  const config: EndpointConfig = { port: options.port, dataDir: options.dataDir };
  const child = fork(ENTRY, [JSON.stringify(config)], {
    execArgv: typeScriptLoader(),
    // A third less time to start (Node.js skips the cache where it cannot write it).
    env: { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE },
    // Its stderr is the runtime's: a crash prints its stack there.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const port = await listening(child);
  const pid = child.pid ?? 0;
  const memoryReplies: ((memory: ProcessMemory | undefined) => void)[] = [];
  child.on('message', (message: FromEndpoint) => {
    if (message.type === 'memory') memoryReplies.shift()?.(message.memory);
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const reply of memoryReplies.splice(0)) reply(undefined);
      if (!stopping) {
        options.onExit(
          new BgjobsError(
            `the SQS endpoint (process ${pid}) ended by itself (${exitText(code, signal)}); the runtime cannot reach its queues`,
          ),
        );
      }
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid,
    memory: () =>
      new Promise((resolve) => {
        if (!child.connected) return resolve(undefined);
        memoryReplies.push(resolve);
        // A process killed a moment ago is still connected until its exit is seen: the
        // write then fails (EPIPE), which the callback hears instead of an 'error' event.
        child.send({ type: 'memory' } satisfies ToEndpoint, (error) => {
          if (!error) return;
          memoryReplies.splice(memoryReplies.indexOf(resolve), 1);
          resolve(undefined);
        });
      }),
    stop: async () => {
      stopping = true;
      // Closing the channel is the signal to close fauxqs and exit.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the port once the endpoint listens; rejects with its start error. */
function listening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(
        new BgjobsError(
          `SQS endpoint: its process ended before it listened (${exitText(code, signal)})`,
        ),
      );
    child.once('exit', onExit);
    child.once('message', (message: FromEndpoint) => {
      child.off('exit', onExit);
      if (message.type === 'listening') resolve(message.port);
      else
        reject(
          new BgjobsError(
            message.type === 'failed' ? message.message : 'SQS endpoint: unexpected first message',
          ),
        );
    });
  });
}

/**
 * Node.js 22.18+ and 24 run the endpoint's TypeScript as it is (type
 * stripping), which starts in a third of the time tsx takes; older ones load tsx.
 */
function typeScriptLoader(): string[] {
  return process.features.typescript
    ? ['--disable-warning=ExperimentalWarning']
    : ['--import', import.meta.resolve('tsx')];
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
