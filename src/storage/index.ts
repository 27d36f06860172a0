import type { Middleware, TranscriptStore, TurnContext } from 'botbuilder';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../logger';
import {
  ConditionalBlobsStorage,
  checkBlobContainer,
  createBlobTranscriptStore,
  type StorageHealth,
} from './blobs';
import { ConflictSafeStorage, type ConditionalStorage } from './conditional';
import { ConditionalMemoryStorage } from './memory';
import type { StorageSettings } from './settings';
import { SafeConversationState, SafeUserState } from './state';
import { TurnRunner, replyBufferMiddleware, type TurnLogic, type TurnStats } from './turn';

export { ETagConflictError, isETagConflict, type ConditionalStorage } from './conditional';
export { ConditionalBlobsStorage, type StorageHealth } from './blobs';
export { ConditionalMemoryStorage } from './memory';
export { storageMessages } from './messages';
export { StorageError, loadStorageSettings, type StorageSettings } from './settings';
export { TurnRunner, replyBufferMiddleware, type TurnLogic, type TurnStats } from './turn';
export { STATE_VERSION_PROPERTY, stateVersionOf, type DialogStateShape } from './version';

export interface StateStoreOptions {
  /** From stateVersionOf(...): conversations saved under another version restart politely. */
  stateVersion: string;
  /** The partner's language for "the bot was updated" and "please send it again"; default from activity.locale. */
  languageOf?: (context: TurnContext) => Lang | Promise<Lang>;
  log?: Logger;
}

/** Everything the composition root needs for conversation state, whichever store the settings name. */
export interface StateStore {
  kind: 'memory' | 'blobs';
  /** The storage every BotState writes through (conditional writes). */
  storage: ConflictSafeStorage;
  conversationState: SafeConversationState;
  userState: SafeUserState;
  /** `adapter.use(store.middleware)` before any other middleware: discarded attempts then reach no send handler. */
  middleware: Middleware;
  /** Loads state, runs the bot logic, saves conditionally; retries once on an eTag conflict. */
  runTurn(context: TurnContext, logic: TurnLogic): Promise<void>;
  stats(): TurnStats;
  /** For the health endpoint: resolves when the store answers, rejects with a one-line StorageError if not. */
  checkStorage(): Promise<StorageHealth>;
  /** Blob storage: Bot Framework's BlobsTranscriptStore in its own container. Memory: undefined (use files). */
  createTranscriptStore(): TranscriptStore | undefined;
}

function isConditionalStorage(value: StorageSettings | ConditionalStorage): value is ConditionalStorage {
  return 'writeIfUnchanged' in value;
}

/**
 * Builds state on the store the settings name, without touching it (tests; a given ConditionalStorage lets two
 * "instances" share one in-memory store). The composition root calls openStateStore instead.
 */
export function createStateStore(
  settings: StorageSettings | ConditionalStorage,
  options: StateStoreOptions,
): StateStore {
  const store = isConditionalStorage(settings)
    ? settings
    : settings.kind === 'blobs'
      ? new ConditionalBlobsStorage(settings)
      : new ConditionalMemoryStorage();
  const storage = new ConflictSafeStorage(store);
  const conversationState = new SafeConversationState(storage);
  const userState = new SafeUserState(storage);
  const runner = new TurnRunner({ ...options, conversationState, otherStates: [userState] });
  const blobs = !isConditionalStorage(settings) && settings.kind === 'blobs' ? settings : undefined;
  return {
    kind: blobs || store instanceof ConditionalBlobsStorage ? 'blobs' : 'memory',
    storage,
    conversationState,
    userState,
    middleware: replyBufferMiddleware,
    runTurn: (context, logic) => runner.run(context, logic),
    stats: () => ({ ...runner.stats }),
    checkStorage: async () => (blobs ? checkBlobContainer(blobs, false) : { kind: 'memory', latencyMs: 0 }),
    createTranscriptStore: () =>
      blobs ? createBlobTranscriptStore({ ...blobs, container: blobs.transcriptContainer }) : undefined,
  };
}

/** createStateStore, then creates the container if needed: a StorageError with one clear line if unreachable. */
export async function openStateStore(
  settings: StorageSettings,
  options: StateStoreOptions,
): Promise<StateStore> {
  if (settings.kind === 'blobs') await checkBlobContainer(settings, true);
  return createStateStore(settings, options);
}
