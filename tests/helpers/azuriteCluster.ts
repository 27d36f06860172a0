import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Activity } from 'botbuilder';
import { startAzurite, type Azurite } from './azurite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One bot process, as App Service or Kubernetes would run it: `tsx src/index.ts` with the shared storage settings. */
export interface BotInstance {
  name: string;
  pid: number;
  /** e.g. http://127.0.0.1:41234 (GET /healthz there) */
  baseUrl: string;
  /** e.g. http://127.0.0.1:41234/api/messages */
  messagesUrl: string;
  /** The last 64 KB the process wrote, for failure messages. */
  output(): string;
  /** SIGKILL: the instance is lost mid-conversation, as when a VM disappears. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it does not exit within a few seconds. */
  stop(): Promise<void>;
}

export interface StartInstanceOptions {
  name: string;
  env: Record<string, string>;
  /** The entry file; the real composition root unless a test needs a stand-in. */
  entry?: string;
  startTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Keeps the last part of a process's output: enough to explain a failure, bounded for long benchmark runs. */
const OUTPUT_KEPT = 64 * 1024;

/** Starts one bot process on a free port and resolves once it answers HTTP there (whatever LOG_LEVEL says). */
export async function startBotInstance(options: StartInstanceOptions): Promise<BotInstance> {
  const port = await freePort();
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType'])
    delete env[name];
  Object.assign(env, { LOG_LEVEL: 'warn' }, options.env, { PORT: String(port) });
  // node --import tsx, not the tsx CLI: the CLI runs the bot in a child process that a SIGKILL would leave behind
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/index.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `bot instance ${options.name} exited (${child.signalCode ?? child.exitCode}) before listening:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bot instance ${options.name} did not listen on ${base}:\n${output}`);
    }
    const answered = await fetch(`${base}/`).then(
      (response) => response.arrayBuffer().then(() => true),
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: options.name,
    pid: child.pid!,
    baseUrl: base,
    messagesUrl: `${base}/api/messages`,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/**
 * The channel side of the Bot Framework protocol: posts activities to a bot's messaging endpoint and records the
 * replies the bot posts back to its serviceUrl (Bot Connector API), as Teams or Direct Line would receive them.
 */
export class FakeChannel {
  readonly replies: Partial<Activity>[] = [];
  private server?: Server;
  private readonly held = new Map<string, () => void>();
  serviceUrl = '';

  /**
   * The bot's first reply to this activity is recorded but never answered, so the bot hangs right after saving
   * its state (replies go out after the save): the moment to kill it for a "saved but not answered" test.
   * Resolves when that reply arrived.
   */
  holdReplyTo(activityId: string): Promise<void> {
    return new Promise((resolve) => this.held.set(activityId, resolve));
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
          const reply = JSON.parse(body) as Partial<Activity>;
          this.replies.push(reply);
          const heldFor = reply.replyToId ? this.held.get(reply.replyToId) : undefined;
          if (heldFor) {
            this.held.delete(reply.replyToId!);
            heldFor();
            return;
          }
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /**
   * Posts one activity; resolves with the HTTP status and the replies the bot sent for it during this delivery
   * (not those of an earlier delivery of the same activity).
   */
  async send(
    instance: BotInstance,
    activity: Partial<Activity>,
  ): Promise<{ status: number; replies: Partial<Activity>[] }> {
    const incoming = { timestamp: new Date().toISOString(), ...activity, serviceUrl: this.serviceUrl };
    const earlier = this.replies.length;
    const response = await fetch(instance.messagesUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(incoming),
    });
    await response.arrayBuffer();
    const replies = this.replies.slice(earlier).filter((reply) => reply.replyToId === incoming.id);
    return { status: response.status, replies };
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

export interface Cluster {
  azurite?: Azurite;
  /** What every instance gets: STORAGE_CONNECTION_STRING and STORAGE_CONTAINER. */
  storageEnv: Record<string, string>;
  instances: BotInstance[];
  /** Starts one more instance on the same storage (after a kill, or to scale out). */
  addInstance(name?: string): Promise<BotInstance>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  /** Use this store instead of starting Azurite (e.g. the one vitest's globalSetup started). */
  connectionString?: string;
  /** Defaults to a fresh container per cluster. */
  container?: string;
  /** Further environment for every instance (LOG_LEVEL, …). */
  env?: Record<string, string>;
  entry?: string;
}

/**
 * N bot instances sharing one blob container, the scale-out set-up the README describes. Starts its own Azurite
 * unless given a connection string. For the multi-process tests and the two-instance benchmark.
 */
export async function startAzuriteCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const azurite = options.connectionString ? undefined : await startAzurite();
  const storageEnv = {
    STORAGE_CONNECTION_STRING: options.connectionString ?? azurite!.connectionString,
    STORAGE_CONTAINER: options.container ?? `bot-state-${randomUUID()}`,
  };
  const instances: BotInstance[] = [];
  let started = 0;
  const addInstance = async (name = `bot-${++started}`) => {
    const instance = await startBotInstance({
      name,
      env: { ...options.env, ...storageEnv },
      entry: options.entry,
    });
    instances.push(instance);
    return instance;
  };
  try {
    // one after the other: the first creates the container, and two cores compile faster in turn
    for (let index = 0; index < (options.instances ?? 2); index++) await addInstance();
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.kill()));
    await azurite?.stop();
    throw error;
  }
  return {
    azurite,
    storageEnv,
    instances,
    addInstance,
    async stop() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await azurite?.stop();
    },
  };
}
