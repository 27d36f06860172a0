import { MemoryStorage, type StoreItem } from 'botbuilder';
import { ETagConflictError, type ConditionalStorage } from './conditional';

/** Bot Framework's MemoryStorage with a conditional write: one process, no set-up, same conflict rules as blobs. */
export class ConditionalMemoryStorage extends MemoryStorage implements ConditionalStorage {
  /** The eTag of what we last wrote per key, so a write need not parse the whole stored state to find it. */
  private readonly written = new Map<string, { json: string; eTag: string }>();

  async writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string> {
    if (this.eTagOf(key) !== expected) throw new ETagConflictError(key);
    const eTag = String(this.etag++);
    const json = JSON.stringify({ ...item, eTag });
    this.memory[key] = json;
    this.written.set(key, { json, eTag });
    return eTag;
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.written.delete(key);
    return super.delete(keys);
  }

  private eTagOf(key: string): string | null {
    const stored = this.memory[key];
    if (!stored) return null;
    const written = this.written.get(key);
    // the base class's own write() may have replaced what we wrote: then read the eTag from the JSON
    if (written?.json === stored) return written.eTag;
    return (JSON.parse(stored) as StoreItem).eTag ?? null;
  }
}
