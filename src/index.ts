import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { CloudAdapter, TranscriptLoggerMiddleware, type BotState, type Storage } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import { z } from 'zod';
import { ConfigError, loadSettings, type BotConfig } from './config';
import { getKnowledge, KnowledgeError } from './knowledge/load';
import type { Knowledge } from './knowledge/schema';
import { Answers } from './engine/types';
import { CaseEvents } from './insights/events';
import { HandoffWebhook } from './handoff/webhook';
import { FeedbackStore } from './insights/feedback';
import { createLogger, registerSecrets, type Logger } from './logger';
import { botFrameworkAuthentication } from './http/authentication';
import { listenHost } from './http/listenHost';
import { TenantGate } from './http/tenantGate';
import { createHardening, type Hardening } from './hardening';
import {
  ConditionalMemoryStorage,
  createStateStore,
  openStateStore,
  stateVersionOf,
  StorageError,
  type StateStore,
} from './storage';
import { transcriptMiddleware } from './transcripts';
import { registerDirectLine, registerWebChat } from './directline';
import { startServer, type RunningServer } from './server';
import { TurnPipeline } from './pipeline';
import { SupportBot } from './bot';
import { startTelemetry, type Telemetry } from './telemetry';
import { ConversationMemory } from '../dialogs/memory';
import { Replies } from '../dialogs/replies';
import { CaseDialog } from '../dialogs/caseDialog';
import { SeverityDialog } from '../dialogs/severityDialog';
import { MainDialog } from '../dialogs/mainDialog';
import { LoopState } from '../dialogs/interruptible';
import { Asked } from '../dialogs/answerPrompt';

/**
 * The composition root: the one place that builds config → storage → state → dialogs → bot → turn pipeline →
 * adapter (middleware, onTurnError) → server (guards, health, Direct Line, web page).
 * `npm start` runs `main()`; tests and the benchmark call `startBot` (port 0, their own store and logger),
 * dialog tests call `createBot` to run the same bot and pipeline on a TestAdapter.
 */

type Env = Record<string, string | undefined>;

export interface CreateBotOptions {
  /** Where conversations are kept; defaults to in-memory state. */
  store?: StateStore;
  knowledge?: Knowledge;
  log?: Logger;
  /** Tenants served (ALLOWED_TENANT_IDS); empty or absent: every tenant. */
  allowedTenantIds?: readonly string[];
  /** The case's steps for trainers; default: through `log`, with the (redacted) text of messages not understood. */
  events?: CaseEvents;
  /** The support desk's webhook for hand-offs to a person (SUPPORT_DESK_WEBHOOK_URL); none: the support window. */
  handoff?: HandoffWebhook;
  /** Where feedback on answers is kept; default: the store's own (memory, or its Blob account). */
  feedback?: FeedbackStore;
}

export interface CreatedBot {
  bot: SupportBot;
  /** The root dialog, e.g. for the state version. */
  dialog: Dialog;
  memory: ConversationMemory;
  conversationState: BotState;
  /** What runs every turn around the bot; `pipeline.attach(adapter)` before any other middleware. */
  pipeline: TurnPipeline;
}

/** What the dialogs keep between turns; a deploy that changes it restarts saved conversations politely. */
const DialogStateSchema = z.object({ loop: LoopState, prompt: Asked, answers: Answers });

/** State, dialogs, bot and turn pipeline, without adapter or server. */
export function createBot(options: CreateBotOptions = {}): CreatedBot {
  const log = options.log ?? createLogger();
  const knowledge = options.knowledge ?? getKnowledge();
  const store = options.store ?? createStateStore(new ConditionalMemoryStorage());
  const { conversationState } = store;

  const memory = new ConversationMemory(conversationState);
  const replies = new Replies(knowledge);
  const events = options.events ?? new CaseEvents(log);
  const { handoff } = options;
  // The partner's last messages are kept for the hand-off summary only when there is a desk to send it to.
  const feedback = options.feedback ?? new FeedbackStore(store.createFeedbackStorage());
  const dialogDeps = {
    knowledge,
    memory,
    replies,
    events,
    handoff,
    feedback,
    rememberMessages: Boolean(handoff),
  };
  const dialog = new MainDialog(dialogDeps, new CaseDialog(dialogDeps), new SeverityDialog(dialogDeps));

  const bot = new SupportBot({ conversationState, dialog, memory, replies });
  const pipeline: TurnPipeline = new TurnPipeline({
    conversationState,
    bot,
    stateVersion: stateVersionOf({ dialogs: dialog.dialogsAtRoot, answers: DialogStateSchema }),
    languageOf: (context) => memory.language(context),
    tenantGate: new TenantGate(options.allowedTenantIds, log, (context) => pipeline.languageOf(context)),
    log,
  });
  return { bot, dialog, memory, conversationState, pipeline };
}

export interface StartBotOptions {
  /** Where every setting is read from (.env.example lists them); defaults to process.env. */
  env?: Env;
  /** Overrides the Azure Bot settings and port read from `env`. */
  config?: BotConfig;
  /** A store to use instead of the one the storage settings name (tests, the benchmark). */
  storage?: Storage;
  knowledge?: Knowledge;
  log?: Logger;
  /** Overrides config.port (tests pass 0). */
  port?: number;
  /** Defaults to loopback without an app id, all interfaces with one; HOST overrides. */
  host?: string;
  /** Serve the web chat page and Direct Line for it (on for `npm start`). */
  webChat?: boolean;
  /** More routes or middleware, added before the server listens. */
  extend?: (server: Server) => void | Promise<void>;
}

export interface RunningBot {
  url: string;
  messagesUrl: string;
  bot: SupportBot;
  /** What runs one turn: tenant gate, redelivery, serialisation, dialogs, one conditional save, replies. */
  pipeline: TurnPipeline;
  adapter: CloudAdapter;
  conversationState: BotState;
  store: StateStore;
  hardening: Hardening;
  /** Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
  telemetry?: Telemetry;
  /** The trainers' events; its abandon sweep runs until `close()` or shutdown. */
  events: CaseEvents;
  server: RunningServer['server'];
  /** Stops the abandon sweep and the server. */
  close(): Promise<void>;
}

export async function startBot(options: StartBotOptions = {}): Promise<RunningBot> {
  const settings = loadSettings(options.env);
  const config = options.config ?? settings.bot;
  const log = options.log ?? createLogger({ level: settings.logLevel });
  registerSecrets(config.auth.MicrosoftAppPassword, settings.handoff.url);
  // the app id is read once (config.auth); everything that depends on it takes it from here
  const security = { ...settings.security, appId: config.auth.MicrosoftAppId };

  const store = options.storage ? createStateStore(options.storage) : await openStateStore(settings.storage);
  const events = new CaseEvents(log, settings.events);
  // one sweep for all the cases this process serves, from start-up until the server closes
  events.abandoned.start();
  const { bot, dialog, pipeline } = createBot({
    store,
    knowledge: options.knowledge,
    log,
    allowedTenantIds: security.allowedTenantIds,
    events,
    feedback: new FeedbackStore(store.createFeedbackStorage(), settings.feedback),
    handoff: settings.handoff.url ? new HandoffWebhook({ url: settings.handoff.url, log }) : undefined,
  });

  const adapter = new CloudAdapter(botFrameworkAuthentication(config.auth));
  // The pipeline first: replies of an attempt that is thrown away never reach telemetry or the transcript.
  pipeline.attach(adapter);
  const telemetry = await startTelemetry(settings.telemetry, log);
  if (telemetry) {
    adapter.use(telemetry.middleware);
    dialog.telemetryClient = telemetry.client;
  }
  const blobTranscripts = store.createTranscriptStore();
  const transcripts = blobTranscripts
    ? new TranscriptLoggerMiddleware(blobTranscripts)
    : transcriptMiddleware({ dir: settings.transcriptsDir, log });
  if (transcripts) adapter.use(transcripts);
  const hardening = createHardening({
    security,
    log,
    checkStorage: () => store.checkStorage(),
    turns: pipeline,
  });

  const running = await startServer({
    adapter,
    bot: pipeline,
    log,
    port: options.port ?? config.port,
    host: options.host ?? listenHost(security, settings.host, log),
    maxBodyBytes: security.maxBodyBytes,
    extend: async (server) => {
      hardening.extend(server);
      if (options.webChat) {
        registerDirectLine(server, {
          adapter,
          bot: pipeline,
          log,
          ...settings.directLine,
          botAppId: security.appId,
        });
        registerWebChat(server, settings.webChat);
      }
      await options.extend?.(server);
    },
  });
  return {
    ...running,
    bot,
    pipeline,
    adapter,
    conversationState: store.conversationState,
    store,
    hardening,
    telemetry,
    events,
    async close() {
      events.abandoned.stop();
      await running.close();
    },
  };
}

/**
 * After a full collection V8 lets the heap grow up to 4× what survived before it collects again. Under load about 1 MB
 * of objects outlives each young-generation collection (the stored conversations among them), so the heap swung
 * between 60 and 280 MB and resident memory followed it to twice the echo bot's. Growing by 100% keeps the heap
 * within twice what is live: a third less RSS under load for the same CPU per turn (npm run bench). V8 reads the
 * flag at each collection, so setting it before the first turn is enough. `main()` and `npm run soak` call this.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=100');
}

async function main(): Promise<void> {
  limitHeapGrowth();
  // Local settings, as in every Bot Framework sample; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const running = await startBot({ webChat: true });
    running.hardening.onSignals(running.server.server, async () => {
      running.events.abandoned.stop();
      await running.telemetry?.flush();
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof StorageError) {
      console.error(`${error.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
