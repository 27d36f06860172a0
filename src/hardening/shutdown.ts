import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../logger';

export interface ShutdownOptions {
  /** The listening HTTP server (restify's `server.server`). */
  server: HttpServer;
  log: Logger;
  /** Resolves when no bot turn is running (TurnGuard.idle). */
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
 * SIGTERM (App Service, Kubernetes, Ctrl+C as SIGINT): stop accepting connections, let the turns in flight finish
 * and their responses go out, then exit 0. A turn cut short would be retried by the channel, but its user would
 * have seen nothing; waiting a few seconds avoids that.
 */
export function installGracefulShutdown(options: ShutdownOptions): () => Promise<void> {
  const { server, log } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (signal: string): Promise<void> => {
    shuttingDown ??= (async () => {
      log.info({ event: 'shutdown', signal }, 'stopping: no new connections, finishing turns in flight');
      const timer = setTimeout(() => {
        log.warn({ event: 'shutdownTimeout' }, 'turns still running at the deadline; closing connections');
        server.closeAllConnections();
        log.flush();
        exit(1);
      }, options.timeoutMs ?? 10_000);
      timer.unref();
      // close() stops listening and ends idle keep-alive sockets; busy ones end after their response
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
