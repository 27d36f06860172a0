import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogContext,
  DialogSet,
  type DialogEvent,
  type DialogState,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { describe, expect, it } from 'vitest';
import { DIALOG_STATE_CONFIGURATION, DialogTurnPrimer } from '../src/dialogTurn';

const activity: Partial<Activity> = {
  type: 'message',
  text: 'hello',
  channelId: 'test',
  conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: '' },
  from: { id: 'u', name: 'Partner' },
  recipient: { id: 'b', name: 'Bot' },
};

/** A waiting dialog that notes every event it is sent. */
class Listening extends Dialog {
  readonly heard: string[] = [];
  override beginDialog(): Promise<DialogTurnResult> {
    return Promise.resolve(Dialog.EndOfTurn);
  }
  override continueDialog(): Promise<DialogTurnResult> {
    return Promise.resolve(Dialog.EndOfTurn);
  }
  override onDialogEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
    this.heard.push(event.name);
    return super.onDialogEvent(dc, event);
  }
}

describe('SupportBot and botbuilder-dialogs', () => {
  // The bot builds the dialogs' memory scopes once and hands them to each turn under this key; if an SDK update
  // stopped reading it, every turn would quietly build them again (a slower bot, nothing else to see).
  it('hands a turn the memory scopes it built before, under the key the SDK reads', () => {
    const first = new TurnContext(new TestAdapter(), activity);
    const built = new DialogContext(new DialogSet(), first, { dialogStack: [] }).state.configuration;
    expect(built.memoryScopes.length).toBeGreaterThan(0);

    const next = new TurnContext(new TestAdapter(), activity);
    next.turnState.set(DIALOG_STATE_CONFIGURATION, built);
    expect(new DialogContext(new DialogSet(), next, { dialogStack: [] }).state.configuration).toBe(built);
  });

  // Likewise, if the SDK renamed its "activityReceived" mark, every turn would again build a context per level of
  // the dialog stack to dispatch an event no dialog of ours handles.
  it('spares later turns the activityReceived event, which it dispatches on a turn not primed', async () => {
    const leaf = new Listening('leaf');
    const component = new ComponentDialog('component').addDialog(leaf);
    const dialogs = new DialogSet().add(component);
    const stack: DialogState = { dialogStack: [] };
    const primer = new DialogTurnPrimer();
    const turn = async (primed: boolean) => {
      const context = new TurnContext(new TestAdapter(), activity);
      if (primed) primer.prime(context);
      const dialogContext = new DialogContext(dialogs, context, stack);
      if (stack.dialogStack.length === 0) await dialogContext.beginDialog('component');
      await dialogContext.continueDialog();
      primer.learn(context, dialogContext);
    };

    await turn(false);
    expect(leaf.heard).toEqual(['activityReceived']);
    await turn(true);
    await turn(true);
    expect(leaf.heard).toEqual(['activityReceived']);
  });
});
