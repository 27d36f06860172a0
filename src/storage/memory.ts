import { MemoryStorage, type StoreItem, type StoreItems } from 'botbuilder';
import { ETagConflictError, type ConditionalStorage } from './conditional';

/** How much state one process keeps in memory (MEMORY_STATE_MAX_CONVERSATIONS, MEMORY_STATE_IDLE_MINUTES). */
export interface MemoryLimits {
  /** Stored items kept (one per conversation, plus one per user when user state is on); the least recent go first. */
  maxItems: number;
  /** An item nobody read or wrote for this long is forgotten: the partner starts again from the welcome. */
  idleMs: number;
}

/**
 * A conversation holds about 2 KB; 20,000 of them stay under 100 MB of heap. Idle for a day, a support case is
 * over (the partner starts again with one message), and a day covers lunch, meetings and time zones.
 */
export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { maxItems: 20_000, idleMs: 24 * 60 * 60 * 1000 };

/**
 * Bot Framework's MemoryStorage with a conditional write (one process, no set-up, same conflict rules as blobs),
 * bounded: MemoryStorage alone keeps every conversation for ever (100,000 conversations grew the heap from 85 to
 * 250 MB), so items idle past `idleMs`, and the least recently used beyond `maxItems`, are dropped.
 */
export class ConditionalMemoryStorage extends MemoryStorage implements ConditionalStorage {
  /** The eTag of what we last wrote per key, so a write need not parse the whole stored state to find it. */
  private readonly written = new Map<string, { json: string; eTag: string }>();
  /** When each key was last read or written; iteration order is least recently used first. */
  private readonly lastUsed = new Map<string, number>();

  constructor(
    memory: Record<string, string> = {},
    private readonly limits: MemoryLimits = DEFAULT_MEMORY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    super(memory);
  }

  /** Items held right now. */
  get size(): number {
    return this.lastUsed.size;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const now = this.now();
    for (const key of keys) {
      const used = this.lastUsed.get(key);
      if (used !== undefined && now - used >= this.limits.idleMs) this.forget(key);
    }
    const items = await super.read(keys);
    for (const key of Object.keys(items)) this.touch(key, now);
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await super.write(changes);
    const now = this.now();
    for (const key of Object.keys(changes)) this.touch(key, now);
    this.evict(now);
  }

  async writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string> {
    const now = this.now();
    const used = this.lastUsed.get(key);
    if (used !== undefined && now - used >= this.limits.idleMs) this.forget(key);
    if (this.eTagOf(key) !== expected) throw new ETagConflictError(key);
    const eTag = String(this.etag++);
    const json = JSON.stringify({ ...item, eTag });
    this.memory[key] = json;
    this.written.set(key, { json, eTag });
    this.touch(key, now);
    this.evict(now);
    return eTag;
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.written.delete(key);
      this.lastUsed.delete(key);
    }
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

  private touch(key: string, now: number): void {
    if (!(key in this.memory)) return;
    // re-inserting moves the key to the end: the map stays ordered from least to most recently used
    this.lastUsed.delete(key);
    this.lastUsed.set(key, now);
  }

  /** Drops items from the least recently used end while there are too many or they are idle too long. */
  private evict(now: number): void {
    for (const [key, used] of this.lastUsed) {
      if (this.lastUsed.size <= this.limits.maxItems && now - used < this.limits.idleMs) return;
      this.forget(key);
    }
  }

  private forget(key: string): void {
    delete this.memory[key];
    this.written.delete(key);
    this.lastUsed.delete(key);
  }
}
