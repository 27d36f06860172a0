import { ConversationState, type StoreItem, type TurnContext } from 'botbuilder';
import { carryReadETag } from './conditional';

/** Conversation state (dialog stack, answers) whose saves are conditional through ConflictSafeStorage. */
export class SafeConversationState extends ConversationState {
  /** Clearing keeps the eTag the state was read with, so the cleared state overwrites only the version we saw. */
  override async clear(context: TurnContext): Promise<void> {
    const before = (await this.load(context)) as StoreItem;
    await super.clear(context);
    carryReadETag(before, this.get(context) as StoreItem | undefined);
  }
}
