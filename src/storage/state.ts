import {
  ConversationState,
  type Activity,
  type StatePropertyAccessor,
  type StoreItem,
  type TurnContext,
} from 'botbuilder';
import { carryReadETag } from './conditional';

/** Teams channels and group chats: several people talk to the bot in one conversation. */
function sharedConversation(activity: Partial<Activity>): boolean {
  const { conversation } = activity;
  return (
    conversation?.isGroup === true ||
    conversation?.conversationType === 'channel' ||
    conversation?.conversationType === 'groupChat'
  );
}

/** What a turn loaded: the state the dialogs change, and its JSON (eTag left out) as it was read, if kept. */
interface Loaded {
  state: StoreItem;
  /** Undefined: nothing to compare with (cleared, already written, or loaded to be written anyway). */
  asRead?: string;
}

/** The state as its change check compares it: JSON without the store's eTag. */
function changeCheck(state: StoreItem): string {
  const data: Record<string, unknown> = { ...state };
  delete data.eTag;
  return JSON.stringify(data);
}

/**
 * Conversation state (dialog stack, answers) whose saves are conditional through ConflictSafeStorage.
 * In a shared conversation each person has their own state, so a colleague's answers never land in another
 * person's case; personal chats, Web Chat and the Emulator keep one state per conversation.
 *
 * It loads and saves as BotState does, with a cheaper change check: BotState hashes the whole state (a stringify
 * with a replacer, then sha256) after every load and every save, a twentieth of a turn's CPU; here a save that is
 * not forced compares plain JSON with the JSON kept from the load, and a turn that writes its state whatever it
 * does (a message) keeps none.
 */
export class SafeConversationState extends ConversationState {
  /** The turn-state slot of what this instance loaded in the turn (BotState keeps its own, private one). */
  private readonly loaded = Symbol('conversation state loaded this turn');

  /** A property of this state, read and written on the object the turn loaded (see LoadedProperty). */
  override createProperty<T = unknown>(name: string): StatePropertyAccessor<T> {
    return new LoadedProperty<T>(this, name);
  }

  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const person = context.activity.from?.id;
    return key && person && sharedConversation(context.activity) ? `${key}users/${person}/` : key;
  }

  override async load(context: TurnContext, force = false): Promise<StoreItem> {
    const cached = this.loadedIn(context);
    if (cached && !force) return cached.state;
    const state = await this.read(context);
    context.turnState.set(this.loaded, { state, asRead: changeCheck(state) } satisfies Loaded);
    return state;
  }

  /** Loads the state afresh for a turn that will save it with `force` whatever it does: no JSON is kept to compare. */
  async loadToWrite(context: TurnContext): Promise<StoreItem> {
    const state = await this.read(context);
    context.turnState.set(this.loaded, { state } satisfies Loaded);
    return state;
  }

  /** Without `force`, writes only a state that differs from the one loaded (a second save in a turn always writes). */
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = this.loadedIn(context);
    if (!force && (!cached || changeCheck(cached.state) === cached.asRead)) return;
    const key = await this.storageKey(context);
    const state = cached?.state ?? {};
    // as BotState does; ConflictSafeStorage writes with the eTag the state was read with instead
    state.eTag = '*';
    await this.storage.write({ [key]: state });
    context.turnState.set(this.loaded, { state } satisfies Loaded);
  }

  /** Clearing keeps the eTag the state was read with, so the cleared state overwrites only the version we saw. */
  override async clear(context: TurnContext): Promise<void> {
    const before = await this.load(context);
    const state: StoreItem = {};
    carryReadETag(before, state);
    // nothing to compare with: the cleared state is written by the next save
    context.turnState.set(this.loaded, { state } satisfies Loaded);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.loaded);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): StoreItem | undefined {
    return this.loadedIn(context)?.state;
  }

  private async read(context: TurnContext): Promise<StoreItem> {
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    return items[key] ?? {};
  }

  private loadedIn(context: TurnContext): Loaded | undefined {
    return context.turnState.get(this.loaded) as Loaded | undefined;
  }
}

/**
 * BotStatePropertyAccessor's behaviour (a default is stored as a copy, as it stores it) without its compiled async
 * wrapper: a dozen property reads and writes a turn cost about 3 µs each through it.
 */
class LoadedProperty<T> implements StatePropertyAccessor<T> {
  constructor(
    private readonly state: SafeConversationState,
    readonly name: string,
  ) {}

  get(context: TurnContext): Promise<T | undefined>;
  get(context: TurnContext, defaultValue: T): Promise<T>;
  async get(context: TurnContext, defaultValue?: T): Promise<T | undefined> {
    const loaded: Record<string, unknown> = await this.state.load(context);
    if (!Object.hasOwn(loaded, this.name) && defaultValue !== undefined) {
      loaded[this.name] =
        typeof defaultValue === 'object' ? (JSON.parse(JSON.stringify(defaultValue)) as T) : defaultValue;
    }
    return loaded[this.name] as T | undefined;
  }

  async set(context: TurnContext, value: T): Promise<void> {
    const loaded: Record<string, unknown> = await this.state.load(context);
    loaded[this.name] = value;
  }

  async delete(context: TurnContext): Promise<void> {
    const loaded: Record<string, unknown> = await this.state.load(context);
    delete loaded[this.name];
  }
}
