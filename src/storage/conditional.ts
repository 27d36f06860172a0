import type { Storage, StoreItem, StoreItems } from 'botbuilder';

/** The message shape BlobsStorage and MemoryStorage use, so one test recognises all of them. */
const CONFLICT = /eTag conflict/i;

/** Another turn saved this conversation after we read it; our changes were not written. */
export class ETagConflictError extends Error {
  override name = 'ETagConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/** True for every store's eTag conflict, also when a dialog wrapped it in a DialogContextError. */
export function isETagConflict(error: unknown): boolean {
  return error instanceof ETagConflictError || (error instanceof Error && CONFLICT.test(error.message));
}

/** A store that can write one item on condition that nobody else wrote it since we read it. */
export interface ConditionalStorage extends Storage {
  /**
   * Writes `item` only if the stored eTag is still `expected` (`null`: only if nothing is stored under `key`);
   * throws an ETagConflictError otherwise. Returns the new eTag.
   */
  writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string>;
}

/** The eTag a state object was read with. A symbol, so it is never serialized and never part of the change hash. */
const READ_ETAG = Symbol('eTag read with this state');
type ReadItem = StoreItem & { [READ_ETAG]?: string };

function rememberReadETag(item: StoreItem, eTag: string | undefined): void {
  Object.defineProperty(item, READ_ETAG, {
    value: eTag,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/** Carries the eTag a state was read with over to the empty object BotState.clear() puts in its place. */
export function carryReadETag(from: StoreItem | undefined, to: StoreItem | undefined): void {
  if (from && to && READ_ETAG in from) rememberReadETag(to, (from as ReadItem)[READ_ETAG]);
}

/**
 * The storage every BotState of this bot writes through. BotState.saveChanges() replaces the state's eTag with "*"
 * (last writer wins); this wrapper writes with the eTag the state was read with instead, and a state that did not
 * exist when read is only created if it still does not exist. So of two turns that read the same state, the second
 * to save gets an ETagConflictError instead of silently overwriting the first.
 */
export class ConflictSafeStorage implements Storage {
  constructor(readonly store: ConditionalStorage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.store.read(keys);
    for (const item of Object.values(items) as StoreItem[]) rememberReadETag(item, item.eTag);
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]: [string, ReadItem]) => {
        const { eTag, ...data } = item;
        const expected = READ_ETAG in item ? (item[READ_ETAG] ?? null) : eTag && eTag !== '*' ? eTag : null;
        // The same object stays cached for the rest of the turn: a second save in this turn builds on this one.
        rememberReadETag(item, await this.store.writeIfUnchanged(key, data, expected));
      }),
    );
  }

  delete(keys: string[]): Promise<void> {
    return this.store.delete(keys);
  }
}
