import type { Request, RequestHandler, Response } from 'restify';
import { scrubSecrets } from './logger';

export interface HealthOptions {
  /** Resolves when the state store answers, rejects (or resolves false) when it does not. From src/storage. */
  checkStorage?: () => Promise<unknown>;
  /** Turns running right now (TurnGuard.turnsInFlight). */
  turnsInFlight?: () => number;
  /** How long the storage may take before it counts as unreachable. */
  storageTimeoutMs?: number;
  /** Turn counters since start (TurnRunner.stats: turns, eTag conflicts, retries …), for operators and the benchmark. */
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

/**
 * GET /healthz: 200 while the process lives and its storage answers, 503 when storage is unreachable, so a
 * load balancer stops sending conversations to an instance that could not save them.
 */
export function healthHandler(options: HealthOptions = {}): RequestHandler {
  return async (_req: Request, res: Response) => {
    const report = await health(options);
    res.setHeader('Cache-Control', 'no-store');
    res.send(report.status === 'ok' ? 200 : 503, report);
  };
}
