import type { Server as HttpServer } from 'node:http';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../logger';
import { registerHealthRoutes } from '../health';
import { protectMessagesEndpoint } from '../http/messagesGuard';
import type { SecurityOptions } from '../http/settings';
import { localeLang, TenantGate } from '../http/tenantGate';
import { Drain, installGracefulShutdown } from './shutdown';
import { TurnGuard } from './turnGuard';

export { Drain, installGracefulShutdown } from './shutdown';
export { TurnGuard } from './turnGuard';

export interface HardeningOptions {
  security: SecurityOptions;
  log: Logger;
  /** The conversation's language (the user may have switched); defaults to activity.locale. */
  languageOf?: (context: TurnContext) => Lang | Promise<Lang>;
  /** From the state store: resolves when storage answers, rejects with one line when it does not. */
  checkStorage?: () => Promise<unknown>;
  /** Turn counters for /healthz (the state store's TurnRunner.stats). */
  turnStats?: () => object;
}

/**
 * Everything the hardening layer adds to the bot, for the composition root to plug in:
 * - `middleware`: adapter middleware, in this order after the state store's own — tenant gate, trace filter,
 *   turn guard (redelivery and double-click);
 * - `extend(server)`: the messaging-endpoint guards (415/413/401/403) and the health endpoints (live, ready, report);
 * - `onSignals(server)`: graceful shutdown on SIGTERM/SIGINT (503 + Retry-After to new requests at once).
 */
export interface Hardening {
  middleware: Middleware[];
  turnGuard: TurnGuard;
  extend(server: Server): void;
  onSignals(server: HttpServer, onClosed?: () => Promise<void>): () => Promise<void>;
}

/**
 * Trace activities are for the Emulator: CloudAdapter drops them on other channels, but an expectReplies turn
 * buffers replies before the adapter sees them, so a dialog's state snapshot trace would reach any client.
 */
export const dropTraceReplies: Middleware = {
  async onTurn(context, next) {
    if (context.activity.channelId !== 'emulator') {
      context.onSendActivities(async (_context, activities, sendNext) => {
        const kept = activities.filter((activity) => activity.type !== 'trace');
        if (kept.length === activities.length) return sendNext();
        // nothing left to send: the adapter refuses an empty batch
        if (kept.length === 0) return [];
        // botbuilder's handler contract: change the array in place, then continue
        activities.splice(0, activities.length, ...kept);
        return sendNext();
      });
    }
    await next();
  },
};

export function createHardening(options: HardeningOptions): Hardening {
  const { log, security } = options;
  const languageOf = async (context: TurnContext): Promise<Lang> => {
    try {
      return options.languageOf ? await options.languageOf(context) : localeLang(context);
    } catch {
      return localeLang(context);
    }
  };
  const turnGuard = new TurnGuard({ log, langOf: languageOf });
  const drain = new Drain();
  return {
    middleware: [new TenantGate(security.allowedTenantIds, log, languageOf), dropTraceReplies, turnGuard],
    turnGuard,
    extend(server) {
      // first: once shutting down, no request starts a turn
      server.pre(drain.handler);
      protectMessagesEndpoint(server, security, log);
      registerHealthRoutes(server, {
        draining: () => drain.draining,
        checkStorage: options.checkStorage,
        turnStats: options.turnStats,
        turnsInFlight: () => turnGuard.turnsInFlight,
      });
    },
    onSignals(server, onClosed) {
      return installGracefulShutdown({ server, log, drain, turnsIdle: () => turnGuard.idle(), onClosed });
    },
  };
}
