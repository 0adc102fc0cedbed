import { createServer, type Server } from 'node:http';

/**
 * A DynamoDB endpoint that answers every write at once with success: what is
 * left is the client side of idempotency (Powertools, the SDK, HTTP on
 * 127.0.0.1), not the table's own latency.
 */
export async function startStubTable(): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'stub',
        'content-length': 2,
      });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, server };
}
