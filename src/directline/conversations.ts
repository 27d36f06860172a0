import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How much the local Direct Line keeps, and for how long. */
export interface DirectLineLimits {
  /** Largest request body a browser may send (bytes). */
  maxClientBodyBytes: number;
  /** Largest reply the bot may post back through the connector routes (bytes); cards can be big. */
  maxBotBodyBytes: number;
  /** Activities kept per conversation; the oldest are dropped first (the page has long read them). */
  maxActivitiesPerConversation: number;
  /** Bytes of history kept per conversation. */
  maxHistoryBytes: number;
  /** Conversations alive at once; a new one beyond this is refused with 503. */
  maxConversations: number;
  /** Conversations one client (address) may hold at once; beyond, 429. */
  maxConversationsPerClient: number;
  /** Share of maxConversations kept for clients that hold none yet (new visitors), e.g. 0.1. */
  newVisitorShare: number;
  /** Conversations a client may open in a burst, then one more every issuanceRefillMs (429 beyond). */
  issuanceBurst: number;
  issuanceRefillMs: number;
  /** A token lives this long unless refreshed; Web Chat refreshes every 15 minutes. */
  tokenLifetimeMs: number;
  /** However often its token is refreshed, a conversation ends this long after it was opened. */
  maxSessionMs: number;
  /** A conversation whose page neither polls nor posts for this long is closed and its slot freed. */
  idleMs: number;
  /** A token that was issued but whose conversation was never started is freed after this long. */
  unstartedIdleMs: number;
  /**
   * A turn that takes longer than this answers 502. A turn may first wait as long for the previous turn of its
   * conversation, so twice this stays under Web Chat's 20 s request timeout.
   */
  turnTimeoutMs: number;
}

export const defaultLimits: DirectLineLimits = {
  maxClientBodyBytes: 64 * 1024,
  maxBotBodyBytes: 1024 * 1024,
  maxActivitiesPerConversation: 200,
  maxHistoryBytes: 512 * 1024,
  maxConversations: 500,
  // an office behind one NAT address shares these
  maxConversationsPerClient: 20,
  newVisitorShare: 0.1,
  issuanceBurst: 10,
  issuanceRefillMs: 6_000,
  tokenLifetimeMs: 30 * 60 * 1000,
  maxSessionMs: 4 * 60 * 60 * 1000,
  // Web Chat polls every second while its page is open; ten quiet minutes mean the page is gone
  idleMs: 10 * 60 * 1000,
  unstartedIdleMs: 2 * 60 * 1000,
  turnTimeoutMs: 9_000,
};

/** An activity as JSON on the wire (what Direct Line clients and the bot's connector exchange). */
export interface WireActivity {
  [field: string]: unknown;
  type: string;
  id?: string;
}

interface Entry {
  seq: number;
  bytes: number;
  activity: WireActivity;
}

export interface Conversation {
  id: string;
  /** The user id the server assigned; the browser cannot choose it. */
  userId: string;
  /** Who opened it (the client's address), for the per-client limits. */
  client: string;
  openedAt: number;
  /** Last poll, post or start by its page. */
  seenAt: number;
  locale?: string;
  /** False while only a token was issued (POST /api/directline/token) and the client has not started it. */
  started: boolean;
  tokenExpiresAt: number;
  history: Entry[];
  historyBytes: number;
  nextSeq: number;
  /** The turn currently running, so turns of one conversation run one after another. */
  lastTurn: Promise<unknown>;
}

/** Why a conversation could not be opened: no slot left for this client ('client') or for anyone ('full'). */
export class ConversationLimitError extends Error {
  override name = 'ConversationLimitError';
  constructor(
    readonly reason: 'full' | 'client',
    message: string,
  ) {
    super(message);
  }
}

const newSecret = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Conversations, their tokens and their activity history, all in memory (one process, local use). Slots are
 * shared fairly: a client holds at most maxConversationsPerClient, a share of the slots is kept for clients that
 * hold none, a conversation whose page went away is freed after idleMs, and none outlives maxSessionMs.
 */
export class ConversationStore {
  private readonly byId = new Map<string, Conversation>();
  private readonly byToken = new Map<string, string>();
  private readonly tokenOf = new Map<string, string>();
  private readonly perClient = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly limits: DirectLineLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** A conversation with a fresh random id, user id and token for `client`; not started until `start`. */
  create(locale?: string, client = 'unknown'): { conversation: Conversation; token: string } {
    this.sweep(true);
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.limits.maxConversationsPerClient) {
      throw new ConversationLimitError('client', `this client holds ${held} conversations`);
    }
    const open = this.byId.size;
    const forNewVisitors = Math.floor(this.limits.maxConversations * this.limits.newVisitorShare);
    if (
      open >= this.limits.maxConversations ||
      (held > 0 && open >= this.limits.maxConversations - forNewVisitors)
    ) {
      throw new ConversationLimitError('full', `${open} conversations are open`);
    }
    const now = this.now();
    const conversation: Conversation = {
      id: newSecret(18),
      userId: `dl_${newSecret(12)}`,
      client,
      openedAt: now,
      seenAt: now,
      locale,
      started: false,
      tokenExpiresAt: now + this.limits.tokenLifetimeMs,
      history: [],
      historyBytes: 0,
      nextSeq: 1,
      lastTurn: Promise.resolve(),
    };
    const token = newSecret(32);
    this.byId.set(conversation.id, conversation);
    this.byToken.set(token, conversation.id);
    this.tokenOf.set(conversation.id, token);
    this.perClient.set(client, held + 1);
    return { conversation, token };
  }

  /** The conversation this bearer token opens, if the token is valid and the conversation still open. */
  byBearer(token: string | undefined): { conversation: Conversation; token: string } | undefined {
    this.sweep();
    if (!token) return undefined;
    const id = this.byToken.get(token);
    const conversation = id ? this.byId.get(id) : undefined;
    if (!conversation || !this.isOpen(conversation, this.now())) return undefined;
    return { conversation, token };
  }

  /** The conversation `id`, only when `token` is its token (compared in constant time); counts as its page seen. */
  authorize(id: string, token: string | undefined): Conversation | undefined {
    const found = this.byBearer(token);
    if (!found || found.conversation.id.length !== id.length) return undefined;
    const same = timingSafeEqual(Buffer.from(found.conversation.id), Buffer.from(id));
    if (!same) return undefined;
    found.conversation.seenAt = this.now();
    return found.conversation;
  }

  /** A conversation by id alone, for the bot's connector callbacks (the id is an unguessable capability). */
  get(id: string): Conversation | undefined {
    const conversation = this.byId.get(id);
    return conversation && this.isOpen(conversation, this.now()) ? conversation : undefined;
  }

  /** Marks a conversation started by its page. */
  start(conversation: Conversation): void {
    conversation.started = true;
    conversation.seenAt = this.now();
  }

  /** Extends the token's life, never past the session's end; returns seconds left. */
  refresh(conversation: Conversation): number {
    conversation.tokenExpiresAt = Math.min(
      this.now() + this.limits.tokenLifetimeMs,
      conversation.openedAt + this.limits.maxSessionMs,
    );
    return this.expiresIn(conversation);
  }

  expiresIn(conversation: Conversation): number {
    return Math.max(0, Math.round((conversation.tokenExpiresAt - this.now()) / 1000));
  }

  /** Gives an activity the next id of this conversation, its conversation and a timestamp, without storing it. */
  stamp(conversation: Conversation, activity: WireActivity): WireActivity {
    return this.withIds(conversation, activity, conversation.nextSeq++);
  }

  /** Stamps and stores an activity (an update keeps its id); returns it as stored. */
  append(conversation: Conversation, activity: WireActivity, id?: string): WireActivity {
    const seq = conversation.nextSeq++;
    const stored = this.withIds(conversation, activity, seq, id);
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    conversation.history.push({ seq, bytes, activity: stored });
    conversation.historyBytes += bytes;
    while (
      conversation.history.length > 1 &&
      (conversation.history.length > this.limits.maxActivitiesPerConversation ||
        conversation.historyBytes > this.limits.maxHistoryBytes)
    ) {
      conversation.historyBytes -= conversation.history.shift()!.bytes;
    }
    return stored;
  }

  private withIds(
    conversation: Conversation,
    activity: WireActivity,
    seq: number,
    id?: string,
  ): WireActivity {
    return {
      ...activity,
      id: id ?? `${conversation.id}|${String(seq).padStart(7, '0')}`,
      conversation: { id: conversation.id },
      timestamp: activity.timestamp ?? new Date(this.now()).toISOString(),
    };
  }

  /** Activities after the watermark, and the new watermark. */
  since(
    conversation: Conversation,
    watermark: string | undefined,
  ): { activities: WireActivity[]; watermark: string } {
    const after = Number.parseInt(watermark ?? '', 10);
    const from = Number.isFinite(after) ? after : 0;
    return {
      activities: conversation.history.filter((entry) => entry.seq > from).map((entry) => entry.activity),
      watermark: String(conversation.nextSeq - 1),
    };
  }

  /** Drops an activity that the bot deleted, with every update of it. */
  remove(conversation: Conversation, activityId: string): boolean {
    const kept = conversation.history.filter((entry) => entry.activity.id !== activityId);
    if (kept.length === conversation.history.length) return false;
    conversation.history = kept;
    conversation.historyBytes = kept.reduce((sum, entry) => sum + entry.bytes, 0);
    return true;
  }

  /** Token unexpired, session not over, and its page seen recently enough. */
  private isOpen(conversation: Conversation, now: number): boolean {
    const idleMs = conversation.started ? this.limits.idleMs : this.limits.unstartedIdleMs;
    return (
      conversation.tokenExpiresAt > now &&
      now - conversation.openedAt < this.limits.maxSessionMs &&
      now - conversation.seenAt < idleMs
    );
  }

  /** Forgets conversations that are no longer open; at most every 30 s unless forced. */
  private sweep(force = false): void {
    const now = this.now();
    if (!force && now - this.lastSweep < 30_000) return;
    this.lastSweep = now;
    for (const [id, conversation] of this.byId) {
      if (this.isOpen(conversation, now)) continue;
      this.byId.delete(id);
      const token = this.tokenOf.get(id);
      this.tokenOf.delete(id);
      if (token) this.byToken.delete(token);
      const held = (this.perClient.get(conversation.client) ?? 1) - 1;
      if (held > 0) this.perClient.set(conversation.client, held);
      else this.perClient.delete(conversation.client);
    }
  }
}
