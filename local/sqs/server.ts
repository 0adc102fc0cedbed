import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from 'fauxqs';
import { BgjobsError } from '../../core/errors.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { listenError } from '../listen-error.ts';
import { assertFauxqsPatched } from './fauxqs-patch.ts';

export interface SqsServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Folder for the SQLite state; undefined keeps everything in memory. */
  readonly dataDir: string | undefined;
}

export interface SqsServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Store {
  persistence?: unknown;
  allQueues?(): { persistence?: unknown }[];
}
interface Persistence {
  load(sqs: Store, sns: Store, s3: Store): void;
  close(): void;
}

/**
 * Starts fauxqs on 127.0.0.1 only. `startFauxqs` always listens on 0.0.0.0, so
 * this does what it does (stores, SQLite persistence) around `buildApp`, whose
 * `listen` takes the host. The store and persistence classes are not in the
 * package's exports, hence the file imports; `test/local/sqs/server.test.ts`
 * pins the behaviour this relies on. It refuses a fauxqs that lacks
 * `patches/fauxqs+2.4.1.patch` (`test/local/sqs/fauxqs-patch.test.ts`).
 */
export async function startSqsServer(options: SqsServerOptions): Promise<SqsServer> {
  const internals = await loadInternals();
  const stores = {
    sqsStore: new internals.SqsStore(),
    snsStore: new internals.SnsStore(),
    s3Store: new internals.S3Store(),
  };
  let persistence: Persistence | undefined;
  if (options.dataDir) {
    assertWritable(options.dataDir);
    persistence = new internals.PersistenceManager(options.dataDir);
    // Load first, then attach, as fauxqs does: attaching first would rewrite rows while loading.
    persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
    for (const store of Object.values(stores)) store.persistence = persistence;
    for (const queue of stores.sqsStore.allQueues?.() ?? []) queue.persistence = persistence;
  }

  const app = buildApp({
    logger: false,
    defaultRegion: LOCAL_ENVIRONMENT.region,
    stores: stores as never,
  });
  try {
    await app.listen({ port: options.port, host: '127.0.0.1' });
  } catch (error) {
    persistence?.close();
    throw listenError('SQS endpoint', options.port, error);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await app.close();
      persistence?.close();
    },
  };
}

async function loadInternals() {
  const dist = path.dirname(fileURLToPath(import.meta.resolve('fauxqs')));
  const load = (file: string) => import(pathToFileURL(path.join(dist, file)).href);
  const [sqs, sns, s3, persistence, sqsTypes] = await Promise.all([
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
    load('persistence.js'),
    load('sqs/sqsTypes.js'),
  ]);
  assertFauxqsPatched(sqsTypes);
  return {
    SqsStore: sqs.SqsStore as new () => Store,
    SnsStore: sns.SnsStore as new () => Store,
    S3Store: s3.S3Store as new () => Store,
    PersistenceManager: persistence.PersistenceManager as new (dir: string) => Persistence,
  };
}

function assertWritable(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, fsConstants.W_OK);
  } catch (error) {
    throw new BgjobsError(`data folder ${dataDir} is not writable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
