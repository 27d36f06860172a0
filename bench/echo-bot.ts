/**
 * The benchmark's ceiling: the smallest bot on our stack (restify + botbuilder CloudAdapter, as in the
 * BotBuilder-Samples echo bot) with no state, no dialogs and no cards.
 */
import { ActivityHandler } from 'botbuilder';
import { serveSampleBot } from './sampleServer';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

const bot = new EchoBot();
serveSampleBot((context) => bot.run(context));
