import { ConversationState, UserState, type StoreItem, type TurnContext } from 'botbuilder';
import { carryReadETag } from './conditional';

/** Clearing keeps the eTag the state was read with, so the cleared state overwrites only the version we saw. */
async function clearKeepingETag(
  state: ConversationState | UserState,
  context: TurnContext,
  clear: () => Promise<void>,
): Promise<void> {
  const before = (await state.load(context)) as StoreItem;
  await clear();
  carryReadETag(before, state.get(context) as StoreItem | undefined);
}

/** Conversation state (dialog stack, answers) whose saves are conditional through ConflictSafeStorage. */
export class SafeConversationState extends ConversationState {
  override clear(context: TurnContext): Promise<void> {
    return clearKeepingETag(this, context, () => super.clear(context));
  }
}

/** User state (e.g. the language a partner chose), saved conditionally like the conversation. */
export class SafeUserState extends UserState {
  override clear(context: TurnContext): Promise<void> {
    return clearKeepingETag(this, context, () => super.clear(context));
  }
}
