import { ConditionalMemoryStorage } from '../src/storage';
import { createLogger } from '../src/logger';
import { startBot } from '../src/index';
import { PATHS, ScriptedConversation } from './conversations';
import { playConversation } from './load';

export interface StateSize {
  conversations: number;
  /** Everything stored (conversation and user state), divided by the finished conversations. */
  bytesPerConversation: number;
  largestBytes: number;
  /** The most one conversation held at any point, mid-conversation included. */
  peakBytes: number;
  /** Average bytes per stored property, largest first: where the size comes from. */
  parts: Record<string, number>;
}

/** The records the store holds for one conversation: its conversation state and its user's state. */
function recordsFor(
  memory: Record<string, string>,
  conversationId: string,
  userId: string,
): [string, string][] {
  const ours = new RegExp(`/(conversations/${conversationId}|users/${userId})/?$`);
  return Object.entries(memory).filter(([key]) => ours.test(key));
}

/** Serialised size (UTF-8 bytes) of everything stored for one conversation. */
function bytesFor(memory: Record<string, string>, conversationId: string, userId: string): number {
  return recordsFor(memory, conversationId, userId).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

/** Bytes per top-level property of the stored records, e.g. { dialogState: 420, lastTurn: 9800 }. */
function partsFor(
  memory: Record<string, string>,
  conversationId: string,
  userId: string,
): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const [, value] of recordsFor(memory, conversationId, userId)) {
    for (const [property, content] of Object.entries(JSON.parse(value) as Record<string, unknown>)) {
      parts[property] = (parts[property] ?? 0) + Buffer.byteLength(JSON.stringify(content));
    }
  }
  return parts;
}

/**
 * Plays every benchmark path `rounds` times against an in-process bot whose MemoryStorage we can read, and
 * measures what stays stored per conversation: the figure that decides how far blob storage and memory scale.
 */
export async function measureStateSize(rounds = 4): Promise<StateSize> {
  const memory: Record<string, string> = {};
  const bot = await startBot({
    storage: new ConditionalMemoryStorage(memory),
    port: 0,
    host: '127.0.0.1',
    log: createLogger({ level: 'silent' }),
  });
  const sizes: number[] = [];
  let peakBytes = 0;
  const parts: Record<string, number> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [index, { script }] of PATHS.entries()) {
        const conversationId = `state-${round}-${index}`;
        const userId = `partner-${round}-${index}`;
        await playConversation(
          bot.messagesUrl,
          new ScriptedConversation(script),
          { conversationId, userId },
          'webchat',
          () => (peakBytes = Math.max(peakBytes, bytesFor(memory, conversationId, userId))),
        );
        sizes.push(bytesFor(memory, conversationId, userId));
        for (const [property, bytes] of Object.entries(partsFor(memory, conversationId, userId))) {
          parts[property] = (parts[property] ?? 0) + bytes;
        }
      }
    }
  } finally {
    await bot.close();
  }
  return {
    conversations: sizes.length,
    bytesPerConversation: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
    largestBytes: Math.max(...sizes),
    peakBytes,
    parts: Object.fromEntries(
      Object.entries(parts)
        .map(([property, bytes]) => [property, Math.round(bytes / sizes.length)] as const)
        .sort((a, b) => b[1] - a[1]),
    ),
  };
}
