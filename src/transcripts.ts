import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TranscriptLoggerMiddleware, type Activity, type TranscriptLogger } from 'botbuilder';
import type { Logger } from './logger';

/**
 * Writes each conversation to `<dir>/<channel>-<conversation>.transcript`: a JSON array of its activities, the
 * format the Bot Framework Emulator opens (File › Open transcript). The file is a valid array after every write.
 * botbuilder's own FileTranscriptStore writes one JSON file per activity instead, which the Emulator cannot open.
 */
export class TranscriptFileStore implements TranscriptLogger {
  /** One write chain per file, so activities land in order and never interleave. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly log?: Pick<Logger, 'error'>,
  ) {}

  /** The file a conversation is written to; ids are made safe for any file system, and kept distinct. */
  fileFor(channelId: string | undefined, conversationId: string | undefined): string {
    const raw = `${channelId ?? 'unknown'}-${conversationId ?? 'unknown'}`;
    const safe = raw.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
    const name =
      safe === raw ? safe : `${safe}-${createHash('sha256').update(raw).digest('hex').slice(0, 10)}`;
    return path.join(this.dir, `${name}.transcript`);
  }

  logActivity(activity: Activity): Promise<void> {
    const file = this.fileFor(activity.channelId, activity.conversation?.id);
    // the middleware marks incoming activities "user"; what is left unmarked is the bot's
    const from = activity.from ? { ...activity.from, role: activity.from.role ?? 'bot' } : activity.from;
    const entry = JSON.stringify({ ...activity, from }, null, 2);
    const previous = this.pending.get(file) ?? Promise.resolve();
    const next = previous
      .then(() => appendToArray(file, entry))
      .catch((error: unknown) => this.log?.error({ err: error, file }, 'could not write transcript'));
    this.pending.set(file, next);
    void next.then(() => {
      if (this.pending.get(file) === next) this.pending.delete(file);
    });
    return next;
  }

  /** Resolves when every write started so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }
}

const CLOSE = '\n]\n';

/** Appends one JSON value to a file holding a JSON array, rewriting only the closing bracket. */
async function appendToArray(file: string, entry: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let handle;
  try {
    handle = await open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await writeFile(file, `[\n${entry}${CLOSE}`, { flag: 'wx' });
    return;
  }
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(CLOSE.length);
    await handle.read(tail, 0, CLOSE.length, Math.max(0, size - CLOSE.length));
    if (size >= 2 + CLOSE.length && tail.toString() === CLOSE) {
      await handle.write(`,\n${entry}${CLOSE}`, size - CLOSE.length);
      return;
    }
  } finally {
    await handle.close();
  }
  // someone edited the file: parse it and write it whole
  const activities = JSON.parse(await readFile(file, 'utf8')) as unknown[];
  const body = `[\n${[...activities.map((a) => JSON.stringify(a, null, 2)), entry].join(',\n')}${CLOSE}`;
  await writeFile(`${file}.tmp`, body);
  await rename(`${file}.tmp`, file);
}

export interface TranscriptOptions {
  /** TRANSCRIPTS_DIR: where conversations are written; unset means no transcripts (the default). */
  dir?: string;
  log?: Pick<Logger, 'error'>;
}

/**
 * Middleware for the adapter that writes every conversation as an Emulator-openable .transcript file, or
 * undefined when TRANSCRIPTS_DIR is not set: `const m = transcriptMiddleware(...); if (m) adapter.use(m)`.
 */
export function transcriptMiddleware(
  options: TranscriptOptions = {},
): TranscriptLoggerMiddleware | undefined {
  const dir = options.dir?.trim();
  if (!dir) return undefined;
  return new TranscriptLoggerMiddleware(new TranscriptFileStore(path.resolve(dir), options.log));
}
