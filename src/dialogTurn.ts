import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogStateManagerConfiguration } from 'botbuilder-dialogs';

/**
 * Where a turn's first DialogStateManager looks for the memory scopes before building them (botbuilder-dialogs'
 * DIALOG_STATE_MANAGER_CONFIGURATION, not exported; tests/bot.test.ts checks the SDK still reads it).
 */
export const DIALOG_STATE_CONFIGURATION = 'DialogStateManagerConfiguration';

/** How botbuilder-dialogs names the turn-state mark of an "activityReceived" event already dispatched. */
const ACTIVITY_RECEIVED_MARK = 'ActivityReceivedEmitted';

/**
 * What botbuilder-dialogs works out afresh on every turn, learnt from the first turn and handed to the later ones:
 * - the dialogs' memory scopes, as DialogManager does with its stateConfiguration: building them anew (a service
 *   collection, its factories and their checks) cost every turn more than the bot's own dialog steps;
 * - the mark that the "activityReceived" event was dispatched: to dispatch it, the first continueDialog of a turn
 *   builds a dialog context for every level of the stack down to the prompt and bubbles the event back up through
 *   each. Only adaptive dialogs handle that event; no dialog of this bot does.
 */
export class DialogTurnPrimer {
  private stateConfiguration?: DialogStateManagerConfiguration;
  private activityReceived?: symbol;

  /** Before the turn's first dialog context is created. */
  prime(context: TurnContext): void {
    if (this.stateConfiguration) context.turnState.set(DIALOG_STATE_CONFIGURATION, this.stateConfiguration);
    if (this.activityReceived) context.turnState.set(this.activityReceived, true);
  }

  /** After the turn's first continueDialog. */
  learn(context: TurnContext, dialogContext: DialogContext): void {
    this.stateConfiguration ??= dialogContext.state.configuration;
    this.activityReceived ??= [...context.turnState.keys()].find(
      (key): key is symbol => typeof key === 'symbol' && key.description === ACTIVITY_RECEIVED_MARK,
    );
  }
}
