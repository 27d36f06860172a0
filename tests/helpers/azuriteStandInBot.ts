// A stand-in for src/index.ts until the composition root exists: same server, adapter and state store.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { DialogSet, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/server';
import { loadStorageSettings, openStateStore, StorageError } from '../../src/storage';

const log = createLogger();
const settings = loadStorageSettings();
const store = await openStateStore(settings, { log }).catch((error: unknown) => {
  if (error instanceof StorageError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.use(store.middleware);

type CaseValues = { family?: string };
const dialogs = new DialogSet(store.conversationState.createProperty<DialogState>('dialogState'));
dialogs.add(new TextPrompt('text'));
dialogs.add(
  new WaterfallDialog('case', [
    (step) => step.prompt('text', 'family?'),
    (step) => {
      (step.values as CaseValues).family = step.result as string;
      return step.prompt('text', 'product?');
    },
    async (step) => {
      await step.context.sendActivity(`route ${(step.values as CaseValues).family}/${step.result}`);
      return step.endDialog();
    },
  ]),
);

const turns = store.turnRunner({ stateVersion: 'stand-in-1' });
const bot = {
  run: (context: TurnContext) =>
    turns.run(context, async (ctx) => {
      if (ctx.activity.type !== 'message') return;
      const dialog = await dialogs.createContext(ctx);
      const result = await dialog.continueDialog();
      if (result.status === 'empty') await dialog.beginDialog('case');
    }),
};
await startServer({ adapter, bot, log, port: Number(process.env.PORT ?? 0) });
