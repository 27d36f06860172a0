/**
 * tsx bench/profile.ts <file.cpuprofile> [--top 25] [--after 5]
 * Where the time went in a V8 CPU profile (from `npm run bench -- --profile`): self time by function and by
 * package, and inclusive time of the bot's own files, so a missed target can be explained in one screen.
 * --after S counts only samples from S seconds after the profile began: turns, not start-up.
 * The bench profiles the build: frames are mapped back to their sources through its source maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, after: { type: 'string', default: '0' } },
  allowPositionals: true,
});
const top = Number(values.top);
const afterMicros = Number(values.after) * 1e6;

/** node_modules/<package> or the repository folder a script lives in. */
function owner(url: string): string {
  if (!url) return '(native / idle / gc)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return 'node core';
  const local = /\/work\/[^/]+\/(?:main\/)?([^/]+\/[^/]+)/.exec(url) ?? /([^/]+\/[^/]+)$/.exec(url);
  return local ? local[1] : url;
}

const sourceMaps = new Map<string, { map: SourceMap; dir: string } | undefined>();

/** The frame as it is in the sources, when the script has a source map beside it (the build's .js.map files). */
function original(frame: CallFrame): CallFrame {
  if (!frame.url.startsWith('file:')) return frame;
  if (!sourceMaps.has(frame.url)) {
    const file = `${fileURLToPath(frame.url)}.map`;
    const payload = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
      : undefined;
    sourceMaps.set(frame.url, payload && { map: new SourceMap(payload), dir: path.dirname(file) });
  }
  const known = sourceMaps.get(frame.url);
  const entry = known?.map.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return frame;
  const url = path.resolve(known!.dir, entry.originalSource);
  return { ...frame, url, lineNumber: entry.originalLine };
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(
    profile.nodes.map((node) => [node.id, { ...node, callFrame: original(node.callFrame) }]),
  );
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfTime = new Map<number, number>();
  let elapsed = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsed += delta;
    if (elapsed >= afterMicros) selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });
  // percentages of busy time: idle is the bot waiting for requests, not work
  const idle = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
  );
  const total = [...selfTime].reduce((sum, [id, time]) => (idle.has(id) ? sum : sum + time), 0);
  for (const id of idle) selfTime.delete(id);

  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { callFrame } = byId.get(id)!;
    const name = `${callFrame.functionName || '(anonymous)'} ${owner(callFrame.url)}:${callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byPackage.set(owner(callFrame.url), (byPackage.get(owner(callFrame.url)) ?? 0) + time);
    // charge the sample to every distinct function of our own code on its stack
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!frame.url || frame.url.includes('node_modules') || frame.url.startsWith('node:')) continue;
      const own = `${frame.functionName || '(anonymous)'} ${owner(frame.url)}:${frame.lineNumber + 1}`;
      if (!seen.has(own)) inclusiveOwn.set(own, (inclusiveOwn.get(own) ?? 0) + time);
      seen.add(own);
    }
  }
  const show = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, time] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${percent(time, total).padStart(6)}  ${name}`);
    }
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s busy (percentages below are of busy time)`);
  show('self time by package', byPackage);
  show('self time by function', byFunction);
  show('inclusive time of our own code', inclusiveOwn);
}
