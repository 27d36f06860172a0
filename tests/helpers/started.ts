import type { ChildProcess } from 'node:child_process';
import { playConversation } from '../../bench/load';
import { PATHS, ScriptedConversation } from '../../bench/conversations';

/** A started process's output so far, kept for error messages and checks. */
export function collectOutput(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

/** Waits until GET /healthz answers 200; fails early with the output when the process exits first. */
export async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no health answer on ${baseUrl} in time:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the exit code (or signal name) of a process. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/**
 * A partner's whole conversation over HTTP (expectReplies), from the opening message to the result card whose
 * plan the routing engine names; returns the number of turns. Throws when the bot strays. The default script
 * clicks the suggested buttons (their titles arrive as text: the choice recognizers run), in English.
 */
export async function holdConversation(
  messagesUrl: string,
  conversationId: string,
  userId = 'partner',
  script = PATHS[0].script,
): Promise<number> {
  return playConversation(
    messagesUrl,
    new ScriptedConversation(script),
    { conversationId, userId },
    'webchat',
  );
}
