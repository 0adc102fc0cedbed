import { EventEmitter } from 'node:events';
import { createServer, request, type Server } from 'node:http';

/**
 * An HTTP proxy on 127.0.0.1 in front of an SQS endpoint that counts the
 * ReceiveMessage calls out at once; `receive` is emitted as each one starts,
 * with how many are out then (itself included). It also counts the entries
 * DeleteMessageBatch deleted (`deleted`, as each answer ends), and can hold
 * those calls back (`holdDeletes`; `deleteHeld` is emitted with the entries
 * held so far) until they are released.
 */
export class ReceiveCounter extends EventEmitter<{
  receive: [outstanding: number];
  deleteHeld: [entries: number];
}> {
  readonly #target: URL;
  #server: Server | undefined;
  #held: (() => void)[] | undefined;
  outstanding = 0;
  peak = 0;
  /** Entries DeleteMessageBatch answered as deleted. */
  deleted = 0;
  heldEntries = 0;
  endpoint = '';

  /** Holds every DeleteMessageBatch call from now on; the returned function lets them through. */
  holdDeletes(): () => void {
    this.#held = [];
    return () => {
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const forward of held) forward();
    };
  }

  constructor(targetUrl: string) {
    super();
    this.#target = new URL(targetUrl);
  }

  async start(): Promise<void> {
    const server = createServer((incoming, outgoing) => {
      const target = incoming.headers['x-amz-target'];
      const isReceive = target === 'AmazonSQS.ReceiveMessage';
      const isDelete = target === 'AmazonSQS.DeleteMessageBatch';
      if (isReceive) {
        this.outstanding += 1;
        this.peak = Math.max(this.peak, this.outstanding);
        this.emit('receive', this.outstanding);
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => {
        const body = Buffer.concat(chunks);
        const forward = () => {
          const upstream = request(
            {
              host: this.#target.hostname,
              port: this.#target.port,
              method: incoming.method,
              path: incoming.url,
              headers: incoming.headers,
            },
            (response) => {
              outgoing.writeHead(response.statusCode ?? 502, response.headers);
              const answer: Buffer[] = [];
              response.on('data', (chunk: Buffer) => answer.push(chunk));
              response.pipe(outgoing);
              response.once('end', () => {
                if (isReceive) this.outstanding -= 1;
                if (isDelete) this.deleted += successfulEntries(Buffer.concat(answer));
              });
            },
          );
          upstream.once('error', () => outgoing.destroy());
          upstream.end(body);
        };
        if (isDelete && this.#held) {
          this.#held.push(forward);
          this.heldEntries += (
            JSON.parse(body.toString()) as { Entries: unknown[] }
          ).Entries.length;
          this.emit('deleteHeld', this.heldEntries);
        } else forward();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function successfulEntries(answer: Buffer): number {
  try {
    return (JSON.parse(answer.toString()) as { Successful?: unknown[] }).Successful?.length ?? 0;
  } catch {
    return 0;
  }
}
