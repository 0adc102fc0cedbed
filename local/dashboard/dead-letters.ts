import { DEAD_LETTER_ATTRIBUTES } from '../../core/dead-letter-attributes.ts';
import { utcTime } from '../../core/time-text.ts';

/** A dead letter as the dashboard lists it, read without receiving it. */
export interface DeadLetterView {
  /** The id in the dead-letter queue: what redrive takes. */
  readonly messageId: string;
  readonly originalMessageId: string;
  /** Absent when SQS's redrive policy moved it (maxReceiveCount), not the handler. */
  readonly reason: string | undefined;
  readonly error: string | undefined;
  readonly attempt: number | undefined;
  readonly failedAt: string | undefined;
  readonly sentAt: string;
  /** When it failed (else when it was sent) as bgjobs shows times: `14:05:03 UTC`. */
  readonly failedAtText: string;
  /** `held` while a redrive, purge or list holds it invisible. */
  readonly state: 'ready' | 'delayed' | 'held';
  readonly bodyPreview: string;
}

export type DeadLetterList =
  | { readonly available: true; readonly total: number; readonly latest: DeadLetterView[] }
  | { readonly available: false; readonly why: string };

interface FauxqsMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  messageAttributes?: Record<string, { StringValue?: string }>;
}

const PREVIEW_CHARS = 160;

/**
 * The newest dead letters of a queue, from fauxqs's inspection endpoint
 * (`GET /_fauxqs/queues/{name}`), which reads messages without receiving them:
 * receive counts and visibility stay as they were.
 */
export async function readDeadLetters(
  sqsEndpoint: string,
  queueName: string,
  max = 20,
): Promise<DeadLetterList> {
  const url = `${sqsEndpoint}/_fauxqs/queues/${encodeURIComponent(queueName)}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    return { available: false, why: `${url} did not answer: ${(error as Error).message}` };
  }
  const body = (await response.json().catch(() => undefined)) as
    | {
        messages?: {
          ready: FauxqsMessage[];
          delayed: FauxqsMessage[];
          inflight: { message: FauxqsMessage }[];
        };
      }
    | undefined;
  if (!response.ok || !body?.messages) {
    return {
      available: false,
      why: `the SQS endpoint offers no fauxqs inspection (${url} answered ${response.status}); dead letters cannot be read there without receiving them`,
    };
  }
  const { ready, delayed, inflight } = body.messages;
  const now = new Date();
  const all = [
    ...ready.map((m) => toView(m, 'ready', now)),
    ...delayed.map((m) => toView(m, 'delayed', now)),
    ...inflight.map((entry) => toView(entry.message, 'held', now)),
  ];
  all.sort((a, b) => (b.failedAt ?? b.sentAt).localeCompare(a.failedAt ?? a.sentAt));
  return { available: true, total: all.length, latest: all.slice(0, max) };
}

function toView(message: FauxqsMessage, state: DeadLetterView['state'], now: Date): DeadLetterView {
  const attribute = (name: string) => message.messageAttributes?.[name]?.StringValue;
  const attempt = attribute(DEAD_LETTER_ATTRIBUTES.attempt);
  const failedAt = attribute(DEAD_LETTER_ATTRIBUTES.failedAt);
  const at = new Date(failedAt ?? message.sentTimestamp);
  return {
    messageId: message.messageId,
    originalMessageId: attribute(DEAD_LETTER_ATTRIBUTES.messageId) ?? message.messageId,
    reason: attribute(DEAD_LETTER_ATTRIBUTES.reason),
    error: attribute(DEAD_LETTER_ATTRIBUTES.error),
    attempt: attempt === undefined ? undefined : Number(attempt),
    failedAt,
    sentAt: new Date(message.sentTimestamp).toISOString(),
    failedAtText: Number.isNaN(at.getTime()) ? String(failedAt) : utcTime(at, now),
    state,
    bodyPreview: message.body.slice(0, PREVIEW_CHARS),
  };
}
