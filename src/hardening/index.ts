import type { Server as HttpServer } from 'node:http';
import type { Server } from 'restify';
import type { Logger } from '../logger';
import { registerHealthRoutes } from '../health';
import { protectMessagesEndpoint } from '../http/messagesGuard';
import type { SecurityOptions } from '../http/settings';
import { Drain, installGracefulShutdown } from './shutdown';

export { Drain, installGracefulShutdown } from './shutdown';

export interface HardeningOptions {
  security: SecurityOptions;
  log: Logger;
  /** The turn pipeline: turns running now (for /healthz), and when none is (for shutdown), with its counters. */
  turns: { readonly turnsInFlight: number; idle(): Promise<void>; readonly stats: object };
  /** From the state store: resolves when storage answers, rejects with one line when it does not. */
  checkStorage?: () => Promise<unknown>;
}

/**
 * Everything the hardening layer adds to the bot's server, for the composition root to plug in
 * (what guards each turn is the turn pipeline, src/pipeline.ts):
 * - `extend(server)`: the messaging-endpoint guards (415/413/401/403) and the health endpoints (live, ready, report);
 * - `onSignals(server)`: graceful shutdown on SIGTERM/SIGINT (503 + Retry-After to new requests at once).
 */
export interface Hardening {
  extend(server: Server): void;
  onSignals(server: HttpServer, onClosed?: () => Promise<void>): () => Promise<void>;
}

export function createHardening(options: HardeningOptions): Hardening {
  const { log, security, turns } = options;
  const drain = new Drain();
  return {
    extend(server) {
      // first: once shutting down, no request starts a turn
      server.pre(drain.handler);
      protectMessagesEndpoint(server, security, log);
      registerHealthRoutes(server, {
        draining: () => drain.draining,
        checkStorage: options.checkStorage,
        turnStats: () => turns.stats,
        turnsInFlight: () => turns.turnsInFlight,
      });
    },
    onSignals(server, onClosed) {
      return installGracefulShutdown({ server, log, drain, turnsIdle: () => turns.idle(), onClosed });
    },
  };
}
