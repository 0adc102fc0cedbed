import { EventEmitter } from 'node:events';
import { createServer, request, type Server } from 'node:http';

/**
 * An HTTP proxy on 127.0.0.1 in front of an SQS endpoint that counts the
 * ReceiveMessage calls out at once; `receive` is emitted as each one starts,
 * with how many are out then (itself included).
 */
export class ReceiveCounter extends EventEmitter<{ receive: [outstanding: number] }> {
  readonly #target: URL;
  #server: Server | undefined;
  outstanding = 0;
  peak = 0;
  endpoint = '';

  constructor(targetUrl: string) {
    super();
    this.#target = new URL(targetUrl);
  }

  async start(): Promise<void> {
    const server = createServer((incoming, outgoing) => {
      const isReceive = incoming.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage';
      if (isReceive) {
        this.outstanding += 1;
        this.peak = Math.max(this.peak, this.outstanding);
        this.emit('receive', this.outstanding);
      }
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
          response.pipe(outgoing);
          response.once('end', () => {
            if (isReceive) this.outstanding -= 1;
          });
        },
      );
      upstream.once('error', () => outgoing.destroy());
      incoming.pipe(upstream);
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
