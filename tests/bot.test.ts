import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { DialogContext, DialogSet } from 'botbuilder-dialogs';
import { describe, expect, it } from 'vitest';
import { DIALOG_STATE_CONFIGURATION } from '../src/bot';

describe('SupportBot and botbuilder-dialogs', () => {
  // The bot builds the dialogs' memory scopes once and hands them to each turn under this key; if an SDK update
  // stopped reading it, every turn would quietly build them again (a slower bot, nothing else to see).
  it('hands a turn the memory scopes it built before, under the key the SDK reads', () => {
    const activity: Partial<Activity> = {
      type: 'message',
      channelId: 'test',
      conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'u', name: 'Partner' },
      recipient: { id: 'b', name: 'Bot' },
    };
    const first = new TurnContext(new TestAdapter(), activity);
    const built = new DialogContext(new DialogSet(), first, { dialogStack: [] }).state.configuration;
    expect(built.memoryScopes.length).toBeGreaterThan(0);

    const next = new TurnContext(new TestAdapter(), activity);
    next.turnState.set(DIALOG_STATE_CONFIGURATION, built);
    expect(new DialogContext(new DialogSet(), next, { dialogStack: [] }).state.configuration).toBe(built);
  });
});
