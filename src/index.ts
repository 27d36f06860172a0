import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CloudAdapter,
  ConversationState,
  MemoryStorage,
  TranscriptLoggerMiddleware,
  type BotState,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import { z } from 'zod';
import { ConfigError, loadConfig, type BotConfig } from './config';
import { getKnowledge, KnowledgeError } from './knowledge/load';
import type { Knowledge } from './knowledge/schema';
import { Answers } from './engine/types';
import { createLogger, registerSecrets, type Logger } from './logger';
import { botFrameworkAuthentication } from './http/authentication';
import { listenHost } from './http/listenHost';
import { securityOptionsFromEnv } from './http/settings';
import { createHardening, type Hardening } from './hardening';
import {
  createStateStore,
  loadStorageSettings,
  openStateStore,
  stateVersionOf,
  StorageError,
  type StateStore,
} from './storage';
import { transcriptMiddleware } from './transcripts';
import { directLineSettings, registerDirectLine, registerWebChat, webChatSettings } from './directline';
import { startServer, type RunningServer, type TurnHandler } from './server';
import { SupportBot } from './bot';
import { startTelemetry, telemetrySettings, type Telemetry } from './telemetry';
import { ConversationMemory } from '../dialogs/memory';
import { Replies } from '../dialogs/replies';
import { CaseDialog } from '../dialogs/caseDialog';
import { SeverityDialog } from '../dialogs/severityDialog';
import { MainDialog } from '../dialogs/mainDialog';
import { LoopState } from '../dialogs/interruptible';
import { Asked } from '../dialogs/answerPrompt';

/**
 * The composition root: the one place that builds config → storage → state → dialogs → bot →
 * adapter (middleware, onTurnError) → server (guards, health, Direct Line, web page).
 * `npm start` runs `main()`; tests and the benchmark call `startBot` (port 0, their own store and logger),
 * dialog tests call `createBot` to run the same bot on a TestAdapter.
 */

type Env = Record<string, string | undefined>;

export interface CreateBotOptions {
  /** State to keep conversations in; defaults to a ConversationState on `storage`. */
  conversationState?: BotState;
  /** Defaults to MemoryStorage (used only when no conversationState is given). */
  storage?: Storage;
  knowledge?: Knowledge;
  log?: Logger;
}

export interface CreatedBot {
  bot: SupportBot;
  /** The root dialog, e.g. for the state version. */
  dialog: Dialog;
  memory: ConversationMemory;
  conversationState: BotState;
}

/** State, dialogs and bot, without adapter or server. */
export function createBot(options: CreateBotOptions = {}): CreatedBot {
  const log = options.log ?? createLogger();
  const knowledge = options.knowledge ?? getKnowledge();
  const conversationState =
    options.conversationState ?? new ConversationState(options.storage ?? new MemoryStorage());

  const memory = new ConversationMemory(conversationState);
  const replies = new Replies(knowledge);
  const dialogDeps = { knowledge, memory, replies };
  const dialog = new MainDialog(dialogDeps, new CaseDialog(dialogDeps, log), new SeverityDialog(dialogDeps));

  const bot = new SupportBot({ conversationState, dialog, memory, replies, log });
  return { bot, dialog, memory, conversationState };
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
  /** What runs one turn: state loaded, the bot, state saved conditionally (retried once on a conflict). */
  turn: TurnHandler;
  adapter: CloudAdapter;
  conversationState: BotState;
  store: StateStore;
  hardening: Hardening;
  /** Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
  telemetry?: Telemetry;
  server: RunningServer['server'];
  close(): Promise<void>;
}

/** What the dialogs keep between turns; a deploy that changes it restarts saved conversations politely. */
const DialogStateSchema = z.object({ loop: LoopState, prompt: Asked, answers: Answers });

export async function startBot(options: StartBotOptions = {}): Promise<RunningBot> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadConfig(env);
  const log = options.log ?? createLogger();
  registerSecrets(config.auth.MicrosoftAppPassword);
  const security = { ...securityOptionsFromEnv(env), appId: config.auth.MicrosoftAppId };

  const store = options.storage
    ? createStateStore(options.storage, { log })
    : await openStateStore(loadStorageSettings(env), { log });
  const { bot, dialog, memory } = createBot({
    conversationState: store.conversationState,
    knowledge: options.knowledge,
    log,
  });
  const languageOf = (context: TurnContext) => memory.language(context);
  const runner = store.turnRunner({
    stateVersion: stateVersionOf({ dialogs: dialog, answers: DialogStateSchema }),
    languageOf,
    answerAgain: (context) => bot.answerAgain(context),
  });
  const turn: TurnHandler = { run: (context) => runner.run(context, (ctx) => bot.run(ctx)) };

  const adapter = new CloudAdapter(botFrameworkAuthentication(config.auth));
  const telemetry = await startTelemetry(telemetrySettings(env), log);
  if (telemetry) {
    adapter.use(telemetry.middleware);
    dialog.telemetryClient = telemetry.client;
  }
  // The store's middleware first: replies of a turn that is re-run after a conflict never reach anyone.
  adapter.use(store.middleware);
  const blobTranscripts = store.createTranscriptStore();
  const transcripts = blobTranscripts
    ? new TranscriptLoggerMiddleware(blobTranscripts)
    : transcriptMiddleware({ dir: env.TRANSCRIPTS_DIR, log });
  if (transcripts) adapter.use(transcripts);
  const hardening = createHardening({
    security,
    log,
    languageOf,
    checkStorage: () => store.checkStorage(),
    turnStats: () => runner.stats,
  });
  for (const middleware of hardening.middleware) adapter.use(middleware);
  adapter.onTurnError = (context, error) => bot.onTurnError(context, error);

  const running = await startServer({
    adapter,
    bot: turn,
    log,
    port: options.port ?? config.port,
    host: options.host ?? listenHost(security, env.HOST, log),
    maxBodyBytes: security.maxBodyBytes,
    extend: async (server) => {
      hardening.extend(server);
      if (options.webChat) {
        registerDirectLine(server, { adapter, bot: turn, log, ...directLineSettings(env) });
        registerWebChat(server, webChatSettings(env));
      }
      await options.extend?.(server);
    },
  });
  return {
    ...running,
    bot,
    turn,
    adapter,
    conversationState: store.conversationState,
    store,
    hardening,
    telemetry,
  };
}

async function main(): Promise<void> {
  // Local settings, as in every Bot Framework sample; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const running = await startBot({ webChat: true });
    running.hardening.onSignals(running.server.server, async () => running.telemetry?.flush());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof StorageError) {
      console.error(`${error.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
