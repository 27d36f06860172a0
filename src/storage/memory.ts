import { MemoryStorage, type StoreItem } from 'botbuilder';
import { ETagConflictError, type ConditionalStorage } from './conditional';

/** Bot Framework's MemoryStorage with a conditional write: one process, no set-up, same conflict rules as blobs. */
export class ConditionalMemoryStorage extends MemoryStorage implements ConditionalStorage {
  async writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string> {
    const stored = this.memory[key];
    const current: string | null = stored ? ((JSON.parse(stored) as StoreItem).eTag ?? null) : null;
    if (current !== expected) throw new ETagConflictError(key);
    const eTag = String(this.etag++);
    this.memory[key] = JSON.stringify({ ...item, eTag });
    return eTag;
  }
}
