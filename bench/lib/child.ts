import { type ChildProcess, fork } from 'node:child_process';
import { PROJECT_ROOT } from './paths.ts';

/** A benchmark part running in a fresh Node.js process, talking over IPC. */
export interface Child<Message> {
  /** The next message the child sends; rejects if it exits first. */
  next(): Promise<Message>;
  send(message: unknown): void;
  /** Waits for the child to exit, killing it after `graceMs`. */
  exit(graceMs?: number): Promise<void>;
}

/**
 * Forks `file` with tsx, so that memory and JIT state are its own. Its stdout
 * is discarded (handlers log there); stderr shows through.
 */
export function startChild<Message>(
  file: string,
  options: { args?: string[]; execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
): Child<Message> {
  const child: ChildProcess = fork(file, options.args ?? [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const inbox: Message[] = [];
  const waiting: { resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitError = new Error(`${file} exited (code ${code}, signal ${signal}) before replying`);
      for (const waiter of waiting.splice(0)) waiter.reject(exitError);
      resolve();
    });
  });
  child.on('message', (message) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(message as Message);
    else inbox.push(message as Message);
  });
  return {
    next: () => {
      const queued = inbox.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (exitError) return Promise.reject(exitError);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send: (message) => {
      child.send(message as Parameters<ChildProcess['send']>[0]);
    },
    exit: async (graceMs = 10_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      if (child.connected) child.disconnect();
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: sends a message to the parent; resolves once it is handed to the IPC channel. */
export function tellParent(message: unknown): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this file runs as a benchmark child (forked with IPC)');
  // Listen before the parent can answer.
  listenToParent();
  return new Promise((resolve, reject) => {
    send(message as Parameters<typeof send>[0], undefined, {}, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

const fromParentInbox: unknown[] = [];
const fromParentWaiting: ((message: unknown) => void)[] = [];
let listening = false;

function listenToParent(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message) => {
    const waiter = fromParentWaiting.shift();
    if (waiter) waiter(message);
    else fromParentInbox.push(message);
  });
}

/** In a child: the next message from the parent (none is lost between two calls). */
export function fromParent<Message>(): Promise<Message> {
  listenToParent();
  if (fromParentInbox.length > 0) return Promise.resolve(fromParentInbox.shift() as Message);
  return new Promise((resolve) => fromParentWaiting.push((m) => resolve(m as Message)));
}
