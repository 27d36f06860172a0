import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** Something the benchmark drives: one or more bot instances sharing conversations. */
export interface BenchTarget {
  name: string;
  /** Messaging endpoints; a conversation's turns go round-robin over them, as behind a load balancer. */
  messagesUrls: string[];
  /** Resident memory and CPU time used so far, of every instance together (from GET /healthz). */
  usage(): Promise<Usage>;
  /** Counters the target wants printed beside the timings, e.g. { conflicts, retried } for shared storage. */
  counters?(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface Usage {
  rssBytes: number;
  cpuMs: number;
}

/** What a bot's GET /healthz says about its process. */
async function usageOf(healthUrl: string): Promise<Usage & { turns?: object }> {
  const body = (await (await fetch(healthUrl)).json()) as {
    rssBytes?: unknown;
    cpuMs?: unknown;
    turns?: object;
  };
  return {
    rssBytes: typeof body.rssBytes === 'number' ? body.rssBytes : NaN,
    cpuMs: typeof body.cpuMs === 'number' ? body.cpuMs : NaN,
    turns: body.turns,
  };
}

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** A port nobody listens on right now (the child binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ChildOptions {
  /** A built bot (bench/startup.ts buildBots) to run on plain node, as production does. */
  script: string;
  env?: Record<string, string>;
  /** Write a V8 CPU profile into this directory when the child exits. */
  cpuProfileDir?: string;
  readyTimeoutMs?: number;
}

export interface RunningChild {
  baseUrl: string;
  process: ChildProcess;
  /** Output so far, for error messages. */
  output(): string;
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

/** Starts a built bot with `node` on a free loopback port and waits until GET /healthz answers. */
export async function startChild(options: ChildOptions): Promise<RunningChild> {
  const port = await freePort();
  const args = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  args.push(options.script);
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(options.script),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.script} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} did not answer on ${baseUrl}/healthz in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    baseUrl,
    process: child,
    output: () => output,
    usage: () => usageOf(`${baseUrl}/healthz`),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A target of one child process. */
export async function startSingle(name: string, options: ChildOptions): Promise<BenchTarget> {
  const child = await startChild(options);
  return {
    name,
    messagesUrls: [`${child.baseUrl}/api/messages`],
    usage: () => child.usage(),
    stop: () => child.stop(),
  };
}

/**
 * The storage engineer's scale-out set-up: `count` bot processes sharing one blob container on a fresh Azurite
 * (tests/helpers/azuriteCluster). A conversation's turns alternate between the instances; the counters add up
 * every instance's eTag conflicts and retries from /healthz.
 */
export async function startAzuriteInstances(count: number): Promise<BenchTarget> {
  const { startAzuriteCluster } = await import('../tests/helpers/azuriteCluster');
  const cluster = await startAzuriteCluster({
    instances: count,
    env: { LOG_LEVEL: 'silent', NODE_ENV: 'production', HOST: '127.0.0.1' },
  });
  const healthUrls = cluster.instances.map((instance) => `${instance.baseUrl}/healthz`);
  const health = () => Promise.all(healthUrls.map(usageOf));
  return {
    name: `${count} instances, Azurite`,
    messagesUrls: cluster.instances.map((instance) => instance.messagesUrl),
    async usage() {
      const reports = await health();
      return {
        rssBytes: reports.reduce((sum, report) => sum + report.rssBytes, 0),
        cpuMs: reports.reduce((sum, report) => sum + report.cpuMs, 0),
      };
    },
    async counters() {
      const totals: Record<string, number> = {};
      for (const report of await health()) {
        for (const [name, value] of Object.entries(report.turns ?? {})) {
          if (typeof value === 'number') totals[name] = (totals[name] ?? 0) + value;
        }
      }
      return totals;
    },
    stop: () => cluster.stop(),
  };
}
