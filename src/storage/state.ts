import { ConversationState, type Activity, type StoreItem, type TurnContext } from 'botbuilder';
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

/**
 * Conversation state (dialog stack, answers) whose saves are conditional through ConflictSafeStorage.
 * In a shared conversation each person has their own state, so a colleague's answers never land in another
 * person's case; personal chats, Web Chat and the Emulator keep one state per conversation.
 */
export class SafeConversationState extends ConversationState {
  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const person = context.activity.from?.id;
    return key && person && sharedConversation(context.activity) ? `${key}users/${person}/` : key;
  }

  /** Clearing keeps the eTag the state was read with, so the cleared state overwrites only the version we saw. */
  override async clear(context: TurnContext): Promise<void> {
    const before = (await this.load(context)) as StoreItem;
    await super.clear(context);
    carryReadETag(before, this.get(context) as StoreItem | undefined);
  }
}
