import { describe, expect, it } from 'vitest';
import type { InspectedMessage } from '../../client/queue-messages.ts';
import { countWhereabouts } from '../../client/whereabouts.ts';

function message(
  messageId: string,
  state: InspectedMessage['state'] = 'visible',
  attributes: Record<string, string> = {},
): InspectedMessage {
  return { messageId, sentTimestamp: 0, state, attributes };
}

describe('countWhereabouts', () => {
  it('counts only the given messages, by state in the queue and in the dead-letter queue', () => {
    const queue = [
      message('a', 'visible'),
      message('b', 'inFlight'),
      message('c', 'delayed'),
      message('other-1', 'inFlight'),
      message('other-2', 'visible'),
    ];
    const deadLetterQueue = [
      // Moved by SQS's redrive policy: the same id.
      message('d', 'visible'),
      // Dead-lettered by the handler: a new message naming the original.
      message('dl-1', 'visible', { 'bgjobs.message-id': 'e' }),
      message('dl-2', 'visible', { 'bgjobs.message-id': 'other-3' }),
    ];

    const where = countWhereabouts(queue, deadLetterQueue, new Set(['a', 'b', 'c', 'd', 'e', 'f']));

    expect(where).toEqual({ visible: 1, inFlight: 1, delayed: 1, deadLettered: 2 });
  });
});
