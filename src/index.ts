import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type Storage,
} from 'botbuilder';
import type { Server } from 'restify';
import { ConfigError, loadConfig, type BotConfig } from './config';
import { getKnowledge, KnowledgeError } from './knowledge/load';
import type { Knowledge } from './knowledge/schema';
import { createLogger, registerSecrets, type Logger } from './logger';
import { listenHost } from './security';
import { startServer, type RunningServer } from './server';
import { SupportBot } from './bot';
import { ConversationMemory } from '../dialogs/memory';
import { Replies } from '../dialogs/replies';
import { CaseDialog } from '../dialogs/caseDialog';
import { SeverityDialog } from '../dialogs/severityDialog';
import { MainDialog } from '../dialogs/mainDialog';

/**
 * The composition root: the one place that builds config → storage → state → dialogs → bot →
 * adapter (+ onTurnError) → server. Tests call `startBot` with their own pieces (port 0, a silent logger,
 * a shared store) or `createBot` to run the same bot on a TestAdapter.
 */
export interface StartBotOptions {
  /** Defaults to loadConfig(process.env). */
  config?: BotConfig;
  /** Defaults to MemoryStorage (state lives as long as the process). */
  storage?: Storage;
  knowledge?: Knowledge;
  log?: Logger;
  /** Overrides config.port (tests pass 0). */
  port?: number;
  /** Defaults to loopback without an app id, all interfaces with one (HOST overrides). */
  host?: string;
  /** Extra routes and middleware: Direct Line, the web page, /healthz, security checks. */
  extend?: (server: Server, bot: RunningBot['bot']) => void | Promise<void>;
}

export interface RunningBot {
  url: string;
  messagesUrl: string;
  bot: SupportBot;
  adapter: CloudAdapter;
  conversationState: ConversationState;
  server: RunningServer['server'];
  close(): Promise<void>;
}

/** State, dialogs and bot, without adapter or server: what dialog tests run on a TestAdapter. */
export function createBot(options: Pick<StartBotOptions, 'storage' | 'knowledge' | 'log'> = {}): {
  bot: SupportBot;
  conversationState: ConversationState;
} {
  const log = options.log ?? createLogger();
  const knowledge = options.knowledge ?? getKnowledge();
  const conversationState = new ConversationState(options.storage ?? new MemoryStorage());

  const memory = new ConversationMemory(conversationState);
  const replies = new Replies(knowledge);
  const dialogDeps = { knowledge, memory, replies };
  const dialog = new MainDialog(dialogDeps, new CaseDialog(dialogDeps, log), new SeverityDialog(dialogDeps));

  const bot = new SupportBot({ conversationState, dialog, memory, replies, log });
  return { bot, conversationState };
}

export async function startBot(options: StartBotOptions = {}): Promise<RunningBot> {
  const config = options.config ?? loadConfig();
  const log = options.log ?? createLogger();
  registerSecrets(config.auth.MicrosoftAppPassword);
  const { bot, conversationState } = createBot({ ...options, log });

  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(config.auth));
  adapter.onTurnError = (context, error) => bot.onTurnError(context, error);

  const running = await startServer({
    adapter,
    bot,
    log,
    port: options.port ?? config.port,
    host: options.host ?? listenHost({ appId: config.auth.MicrosoftAppId }),
    extend: options.extend && ((server) => options.extend?.(server, bot)),
  });
  return { ...running, bot, adapter, conversationState };
}

async function main(): Promise<void> {
  // Local settings, as in every Bot Framework sample; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const bot = await startBot();
    const stop = () => void bot.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KnowledgeError) {
      console.error(`${error.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
