import { ActivityHandler, ActivityTypes, Channels, TurnContext, type BotState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { DialogTurnPrimer } from './dialogTurn';
import { DIALOG_STATE_PROPERTY } from './pipeline';
import type { MainDialog } from '../dialogs/mainDialog';
import type { ConversationMemory } from '../dialogs/memory';
import type { Replies } from '../dialogs/replies';

export interface SupportBotDeps {
  conversationState: BotState;
  /** The dialog every exchange begins with; it and the dialogs it begins run at the root of the stack. */
  dialog: MainDialog;
  memory: ConversationMemory;
  replies: Replies;
}

/** Longer messages are not a question but a pasted log: the partner is asked for the error line instead. */
export const MAX_MESSAGE_CHARS = 5_000;

/**
 * The bot: welcomes each new conversation in the user's language with the first choices and runs the main dialog
 * on every message addressed to it. It runs inside the turn pipeline (src/pipeline.ts), which loads and saves state.
 * In Teams channels and group chats it answers only when @mentioned (or when its own card buttons are pressed).
 */
export class SupportBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly primer = new DialogTurnPrimer();

  constructor(private readonly deps: SupportBotDeps) {
    super();
    const dialogState = deps.conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
    this.dialogs = new DialogSet(dialogState);
    for (const dialog of deps.dialog.dialogsAtRoot) this.dialogs.add(dialog);

    this.onMembersAdded(async (context, next) => {
      if (joinedIsWelcome(context) && (await deps.memory.welcomeDue(context))) {
        const topics = await deps.replies.welcome(context, await deps.memory.language(context));
        // A typed number or name picks a topic, as on channels without cards the welcome is a numbered list.
        await deps.memory.offerMenu(context, topics);
      }
      await next();
    });
  }

  /**
   * Messages, nearly every turn, go straight to the dialogs: ActivityHandler would pass them along its chains of
   * turn, message and dialog handlers (a promise and a closure per link) that this bot leaves empty. Every other
   * activity (the welcome, invokes such as healthCheck) goes through ActivityHandler.
   */
  override async run(context: TurnContext): Promise<void> {
    if (context.activity?.type !== ActivityTypes.Message) return super.run(context);
    if (addressedToBot(context)) await this.converse(context);
  }

  private async converse(context: TurnContext): Promise<void> {
    const text = context.activity.text ?? '';
    if (text.length > MAX_MESSAGE_CHARS) {
      const lang = await this.deps.memory.language(context);
      await this.deps.replies.say(context, 'tooLong', lang, { max: MAX_MESSAGE_CHARS });
      return;
    }
    // Not runDialog: it snapshots all dialog memory into a trace activity every turn, a fifth of a turn's CPU.
    this.primer.prime(context);
    const dialogContext = await this.dialogs.createContext(context);
    const result = await dialogContext.continueDialog();
    this.primer.learn(context, dialogContext);
    if (result.status === DialogTurnStatus.empty) await dialogContext.beginDialog(this.deps.dialog.id);
  }
}

/**
 * Personal chats, Web Chat and the Emulator always talk to the bot. In Teams channels and group chats the bot
 * hears only @mentions; its mention is removed so "@Bot help" reads as "help". Card submits come with no text.
 */
function addressedToBot(context: TurnContext): boolean {
  const { activity } = context;
  if (activity.channelId !== Channels.Msteams) return true;
  const mentioned = TurnContext.getMentions(activity).some(
    (mention) => mention.mentioned?.id === activity.recipient?.id,
  );
  if (mentioned && activity.text) TurnContext.removeRecipientMention(activity);
  const kind = activity.conversation?.conversationType;
  return (kind !== 'channel' && kind !== 'groupChat') || mentioned || activity.value !== undefined;
}

/**
 * Who joined decides whether to welcome: a person joining Web Chat or the Emulator, or the bot being added in
 * Teams (installed in personal chat, a team or a group chat), where the people are already there.
 */
function joinedIsWelcome(context: TurnContext): boolean {
  const { membersAdded = [], recipient, channelId } = context.activity;
  if (channelId === Channels.Msteams) return membersAdded.some((member) => member.id === recipient?.id);
  return membersAdded.some((member) => member.id !== recipient?.id);
}
