/** A message as fauxqs's inspection endpoint shows it, with the state it is in. */
export interface InspectedMessage {
  readonly messageId: string;
  readonly sentTimestamp: number;
  readonly state: 'visible' | 'inFlight' | 'delayed';
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

interface FauxqsMessage {
  messageId: string;
  sentTimestamp: number;
  messageAttributes?: Record<string, { StringValue?: string }>;
}

/**
 * Every message of a queue, read without receiving it (receive counts and
 * visibility stay as they were), from fauxqs's `GET /_fauxqs/queues/{name}`.
 * Undefined when the endpoint offers no such inspection: SQS itself cannot
 * list messages without receiving them.
 */
export async function inspectQueue(
  endpoint: string,
  queueName: string,
): Promise<InspectedMessage[] | undefined> {
  const response = await fetch(`${endpoint}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
  if (!response.ok) return undefined;
  const { messages } = (await response.json().catch(() => ({}))) as {
    messages?: {
      ready: FauxqsMessage[];
      delayed: FauxqsMessage[];
      inflight: { message: FauxqsMessage }[];
    };
  };
  if (!messages) return undefined;
  return [
    ...messages.ready.map((m) => inspected(m, 'visible')),
    ...messages.inflight.map((entry) => inspected(entry.message, 'inFlight')),
    ...messages.delayed.map((m) => inspected(m, 'delayed')),
  ];
}

function inspected(message: FauxqsMessage, state: InspectedMessage['state']): InspectedMessage {
  const attributes = Object.fromEntries(
    Object.entries(message.messageAttributes ?? {}).map(([name, value]) => [
      name,
      value.StringValue,
    ]),
  );
  return { messageId: message.messageId, sentTimestamp: message.sentTimestamp, state, attributes };
}
