import type { Storage, TranscriptStore } from 'botbuilder';
import {
  ConditionalBlobsStorage,
  checkBlobContainer,
  createBlobTranscriptStore,
  type StorageHealth,
} from './blobs';
import { ConflictSafeStorage, type ConditionalStorage } from './conditional';
import { ConditionalMemoryStorage } from './memory';
import type { StorageSettings } from './settings';
import { SafeConversationState } from './state';

export { ETagConflictError, isETagConflict, type ConditionalStorage } from './conditional';
export { ConditionalBlobsStorage, type StorageHealth } from './blobs';
export { ConditionalMemoryStorage } from './memory';
export { storageMessages } from './messages';
export { StorageError, loadStorageSettings, type StorageSettings } from './settings';
export { STATE_VERSION_PROPERTY, stateVersionOf, type DialogStateShape } from './version';
export { SafeConversationState } from './state';

/** Everything the composition root needs for conversation state, whichever store the settings name. */
export interface StateStore {
  kind: 'memory' | 'blobs';
  /** The storage every BotState writes through: conditional writes unless built on a plain Storage. */
  storage: Storage;
  conversationState: SafeConversationState;
  /** For the health endpoint: resolves when the store answers, rejects with a one-line StorageError if not. */
  checkStorage(): Promise<StorageHealth>;
  /** Blob storage: Bot Framework's BlobsTranscriptStore in its own container. Memory: undefined (use files). */
  createTranscriptStore(): TranscriptStore | undefined;
}

function isStorageSettings(source: StorageSettings | Storage): source is StorageSettings {
  return 'kind' in source && (source.kind === 'memory' || source.kind === 'blobs');
}

function isConditional(storage: Storage): storage is ConditionalStorage {
  return typeof (storage as Partial<ConditionalStorage>).writeIfUnchanged === 'function';
}

/**
 * Builds state on the store the settings name, without touching it. Tests may pass a store instead: a
 * ConditionalStorage (two "instances" sharing one in-memory store) is written conflict-safely, a plain Storage
 * (e.g. one that fails on demand) is used as it is, last writer wins. The composition root calls openStateStore.
 */
export function createStateStore(source: StorageSettings | Storage): StateStore {
  const blobs = isStorageSettings(source) && source.kind === 'blobs' ? source : undefined;
  const store = isStorageSettings(source)
    ? blobs
      ? new ConditionalBlobsStorage(blobs)
      : new ConditionalMemoryStorage({}, source.kind === 'memory' ? source.limits : undefined)
    : source;
  const storage = isConditional(store) ? new ConflictSafeStorage(store) : store;
  const conversationState = new SafeConversationState(storage);
  return {
    kind: blobs || store instanceof ConditionalBlobsStorage ? 'blobs' : 'memory',
    storage,
    conversationState,
    checkStorage: async () => (blobs ? checkBlobContainer(blobs, false) : { kind: 'memory', latencyMs: 0 }),
    createTranscriptStore: () =>
      blobs ? createBlobTranscriptStore({ ...blobs, container: blobs.transcriptContainer }) : undefined,
  };
}

/** createStateStore, then creates the container if needed: a StorageError with one clear line if unreachable. */
export async function openStateStore(settings: StorageSettings): Promise<StateStore> {
  if (settings.kind === 'blobs') await checkBlobContainer(settings, true);
  return createStateStore(settings);
}
