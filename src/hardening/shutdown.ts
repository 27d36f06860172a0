import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Next, Request, Response } from 'restify';
import type { Logger } from '../logger';

/** Seconds a client is told to wait before retrying (on another instance, or this one restarted). */
const RETRY_AFTER_SECONDS = 5;

/**
 * Stops new work at once when the process is told to stop. Registered first among the server's `pre` handlers:
 * - while draining, every new request (one that arrives on a kept-alive connection included) gets 503 with
 *   Retry-After and Connection: close; the health endpoints still answer (readiness says 503);
 * - when draining starts, every response still being worked on gets Connection: close, so its client does not
 *   send the next turn down the same connection.
 */
export class Drain {
  private isDraining = false;
  private readonly pending = new Set<ServerResponse>();

  get draining(): boolean {
    return this.isDraining;
  }

  readonly handler = (req: Request, res: Response, next: Next): void => {
    if (!this.isDraining) {
      this.pending.add(res);
      res.once('close', () => this.pending.delete(res));
      return next();
    }
    res.setHeader('Connection', 'close');
    if (req.getPath().startsWith('/healthz')) return next();
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.send(503, { error: 'The bot is restarting. Please try again in a few seconds.' });
    return next(false);
  };

  start(): void {
    this.isDraining = true;
    for (const res of this.pending) if (!res.headersSent) res.setHeader('Connection', 'close');
  }
}

export interface ShutdownOptions {
  /** The listening HTTP server (restify's `server.server`). */
  server: HttpServer;
  log: Logger;
  /** Registered on the server before it listened; started first, so no new turn begins. */
  drain?: Drain;
  /** Resolves when no bot turn is running (TurnPipeline.idle). */
  turnsIdle?: () => Promise<void>;
  /** Last words after the server closed: flush transcripts, close storage clients. */
  onClosed?: () => Promise<void>;
  /** After this long, remaining connections are cut and the process exits 1. */
  timeoutMs?: number;
  /** For tests; defaults to process.exit. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * SIGTERM (App Service, Kubernetes, Ctrl+C as SIGINT): stop taking new turns at once (503 on open connections,
 * idle keep-alive connections closed, no new connections), let the turns in flight finish and their responses go
 * out, then exit 0. A turn cut short would be retried by the channel, but its user would have seen nothing.
 */
export function installGracefulShutdown(options: ShutdownOptions): () => Promise<void> {
  const { server, log } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (signal: string): Promise<void> => {
    shuttingDown ??= (async () => {
      options.drain?.start();
      log.info({ event: 'shutdown', signal }, 'stopping: no new turns, finishing turns in flight');
      const timer = setTimeout(() => {
        log.warn({ event: 'shutdownTimeout' }, 'turns still running at the deadline; closing connections');
        server.closeAllConnections();
        log.flush();
        exit(1);
      }, options.timeoutMs ?? 10_000);
      timer.unref();
      // close() stops listening; idle keep-alive sockets end now, busy ones after their response (Connection: close)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await options.turnsIdle?.();
      await closed;
      await options.onClosed?.();
      clearTimeout(timer);
      log.info({ event: 'shutdownComplete' }, 'stopped');
      log.flush();
      exit(0);
    })();
    return shuttingDown;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT'])
    process.once(signal, () => void shutdown(signal));
  return () => shutdown('manual');
}
