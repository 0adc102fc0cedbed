/**
 * Whether an SDK client talks to this machine: the local runtime's endpoints
 * (`--local`, or `AWS_ENDPOINT_URL_*` on 127.0.0.1 or localhost).
 */
interface EndpointConfig {
  readonly config: {
    endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number }>;
    /** Where `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL` points, when set. */
    serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  };
}

/** The client's base URL (`http://127.0.0.1:9324`) when it points at a loopback address. */
export async function loopbackEndpoint(client: EndpointConfig): Promise<string | undefined> {
  const endpoint = await client.config.endpoint?.();
  const base = endpoint
    ? `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`
    : await client.config.serviceConfiguredEndpoint?.();
  if (!base) return undefined;
  const url = new URL(base);
  return LOOPBACK.has(url.hostname) ? url.origin : undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
