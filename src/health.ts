import type { RequestHandler, Server } from 'restify';
import { scrubSecrets } from './logger';

export interface HealthOptions {
  /** Resolves when the state store answers, rejects (or resolves false) when it does not. From src/storage. */
  checkStorage?: () => Promise<unknown>;
  /** Turns running right now (TurnPipeline.turnsInFlight). */
  turnsInFlight?: () => number;
  /** How long the storage may take before it counts as unreachable. */
  storageTimeoutMs?: number;
  /** Turn counters since start (TurnPipeline.stats: turns, eTag conflicts, retries …), for operators and the benchmark. */
  turnStats?: () => object;
}

export interface HealthReport {
  /** "ok": alive and storage reachable; "degraded": alive, storage not reachable. */
  status: 'ok' | 'degraded';
  uptimeSeconds: number;
  storage: { reachable: boolean; error?: string };
  turnsInFlight?: number;
  turns?: object;
  /** Resident memory in bytes, as the OS sees it (the benchmark reads this). */
  rssBytes: number;
  heapUsedBytes: number;
  /** CPU time this process has used since it started (user + system), in ms: the benchmark's cost per turn. */
  cpuMs: number;
}

async function storageReachable(options: HealthOptions): Promise<HealthReport['storage']> {
  if (!options.checkStorage) return { reachable: true };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('storage check timed out')), options.storageTimeoutMs ?? 2_000);
  });
  try {
    const result = await Promise.race([options.checkStorage(), timeout]);
    return result === false ? { reachable: false, error: 'storage check failed' } : { reachable: true };
  } catch (error) {
    // the name and first line only: driver messages can be long and must not leak connection details
    const message =
      error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'storage check failed';
    return { reachable: false, error: scrubSecrets(message).slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

export async function health(options: HealthOptions = {}): Promise<HealthReport> {
  const storage = await storageReachable(options);
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    status: storage.reachable ? 'ok' : 'degraded',
    uptimeSeconds: Math.round(process.uptime()),
    storage,
    turnsInFlight: options.turnsInFlight?.(),
    turns: options.turnStats?.(),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

export interface HealthRoutesOptions extends HealthOptions {
  /** True once the process is shutting down: not ready for new work, though still alive. */
  draining?: () => boolean;
}

/**
 * Health endpoints, each answering GET and HEAD (load balancers probe with HEAD):
 * - /healthz/live — liveness: 200 while the process runs its event loop. Never checks storage, so a storage outage
 *   does not get every instance restarted;
 * - /healthz/ready — readiness: 200 when the store answers and the process is not shutting down, else 503, so
 *   traffic goes elsewhere until it recovers;
 * - /healthz — the full report (storage, turns, memory, CPU) with the readiness status code.
 */
export function registerHealthRoutes(server: Server, options: HealthRoutesOptions = {}): void {
  const live: RequestHandler = async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.send(200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  };
  const ready: RequestHandler = async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (options.draining?.()) {
      res.send(503, { status: 'draining' });
      return;
    }
    const storage = await storageReachable(options);
    res.send(storage.reachable ? 200 : 503, { status: storage.reachable ? 'ok' : 'degraded', storage });
  };
  const report: RequestHandler = async (_req, res) => {
    const current = await health(options);
    res.setHeader('Cache-Control', 'no-store');
    res.send(current.status === 'ok' && !options.draining?.() ? 200 : 503, current);
  };
  for (const [path, handler] of [
    ['/healthz/live', live],
    ['/healthz/ready', ready],
    ['/healthz', report],
  ] as const) {
    server.get(path, handler);
    server.head(path, handler);
  }
}
