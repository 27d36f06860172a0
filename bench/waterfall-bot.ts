/**
 * The benchmark's plain sample: what the BotBuilder-Samples multi-turn-prompt bot would be for this job. Three
 * ChoicePrompts in one WaterfallDialog (program, support plan, benefit level), conversation state in
 * MemoryStorage, and a one-line answer; no understanding, no routing engine, no cards. It gets the same messages
 * as the router bot; whatever it does not recognise, it asks again, as a sample would.
 */
import { ActivityHandler, ConversationState, MemoryStorage } from 'botbuilder';
import {
  ChoicePrompt,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type FoundChoice,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { serveSampleBot } from './sampleServer';

const conversationState = new ConversationState(new MemoryStorage());
const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
dialogs.add(new ChoicePrompt('choice'));

const ask = (prompt: string, choices: string[]) => (step: WaterfallStepContext) => {
  if (step.result)
    (step.values as Record<string, string>)[`answer${step.index}`] = (step.result as FoundChoice).value;
  return step.prompt('choice', { prompt, choices });
};

dialogs.add(
  new WaterfallDialog('case', [
    ask('Which partner program are you in?', [
      'CSP (direct)',
      'Indirect provider',
      'Indirect reseller',
      'Advisor',
    ]),
    ask('Have you bought ASfP or PSfP?', ['Neither', 'ASfP (Advanced)', 'PSfP (Premier)']),
    ask('Which MPN benefit level do you have?', ['Action Pack', 'Silver competency', 'Gold competency']),
    async (step) => {
      const { answer1: program, answer2: plan } = step.values as Record<string, string>;
      const tier = (step.result as FoundChoice).value;
      await step.context.sendActivity(`${program}, ${plan}, ${tier}: open a case in Partner Center.`);
      return step.endDialog();
    },
  ]),
);

class WaterfallBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const dialogContext = await dialogs.createContext(context);
      const result = await dialogContext.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dialogContext.beginDialog('case');
      await next();
    });
    this.onDialog(async (context, next) => {
      await conversationState.saveChanges(context, false);
      await next();
    });
  }
}

const bot = new WaterfallBot();
serveSampleBot((context) => bot.run(context));
