import type { Storage, TranscriptStore } from 'botbuilder';
import { ConflictSafeStorage, type ConditionalStorage } from './conditional';
import { ConditionalMemoryStorage } from './memory';
import type { StorageSettings } from './settings';
import { SafeConversationState } from './state';

export { ETagConflictError, isETagConflict, type ConditionalStorage } from './conditional';
export { ConditionalMemoryStorage } from './memory';
export { storageMessages } from './messages';
export { StorageError, loadStorageSettings, type StorageSettings } from './settings';
export { STATE_VERSION_PROPERTY, stateVersionOf, type DialogStateShape } from './version';
export { SafeConversationState } from './state';

export interface StorageHealth {
  kind: 'memory' | 'blobs';
  /** One round trip to the store, as measured by the check. */
  latencyMs: number;
}

/** Everything the composition root needs for conversation state, whichever store the settings name. */
export interface StateStore {
  /** 'given': a store the caller built (tests, the benchmark). */
  kind: 'memory' | 'blobs' | 'given';
  /** The storage every BotState writes through: conditional writes unless built on a plain Storage. */
  storage: Storage;
  conversationState: SafeConversationState;
  /** For the health endpoint: resolves when the store answers, rejects with a one-line StorageError if not. */
  checkStorage(): Promise<StorageHealth>;
  /** Blob storage: Bot Framework's BlobsTranscriptStore in its own container. Memory: undefined (use files). */
  createTranscriptStore(): TranscriptStore | undefined;
  /** Where feedback records go (src/insights/feedback.ts): memory, or the same account in "<container>-feedback". */
  createFeedbackStorage(): ConditionalStorage;
}

type MemorySettings = Extract<StorageSettings, { kind: 'memory' }>;

function isConditional(storage: Storage): storage is ConditionalStorage {
  return typeof (storage as Partial<ConditionalStorage>).writeIfUnchanged === 'function';
}

function stateStoreOn(store: Storage, parts: Omit<StateStore, 'storage' | 'conversationState'>): StateStore {
  const storage = isConditional(store) ? new ConflictSafeStorage(store) : store;
  return { ...parts, storage, conversationState: new SafeConversationState(storage) };
}

/**
 * State in this process's memory, or on a store the caller passes: a ConditionalStorage (two "instances" sharing
 * one in-memory store) is written conflict-safely, a plain Storage (e.g. one that fails on demand) is used as it
 * is, last writer wins. The composition root calls openStateStore.
 */
export function createStateStore(source: MemorySettings | Storage = { kind: 'memory' }): StateStore {
  const given = 'read' in source;
  return stateStoreOn(given ? source : new ConditionalMemoryStorage({}, source.limits), {
    kind: given ? 'given' : 'memory',
    checkStorage: async () => ({ kind: 'memory', latencyMs: 0 }),
    createTranscriptStore: () => undefined,
    // never evicted: a few items, one per day
    createFeedbackStorage: () =>
      new ConditionalMemoryStorage({}, { maxItems: 1_000, idleMs: Number.POSITIVE_INFINITY }),
  });
}

/**
 * State on the store the settings name. Blob storage: creates the container if needed, and fails with a one-line
 * StorageError if it is unreachable.
 */
export async function openStateStore(settings: StorageSettings): Promise<StateStore> {
  if (settings.kind === 'memory') return createStateStore(settings);
  // the Azure SDK is a third of the bundle (~20 MB of idle memory): loaded only by a bot that keeps state in blobs
  const blobs = await import('./blobs');
  await blobs.checkBlobContainer(settings, true);
  return stateStoreOn(new blobs.ConditionalBlobsStorage(settings), {
    kind: 'blobs',
    checkStorage: () => blobs.checkBlobContainer(settings, false),
    createTranscriptStore: () =>
      blobs.createBlobTranscriptStore({ ...settings, container: settings.transcriptContainer }),
    createFeedbackStorage: () =>
      new blobs.ConditionalBlobsStorage({ ...settings, container: `${settings.container}-feedback` }),
  });
}
