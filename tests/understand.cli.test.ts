import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/understand.ts', ...args], {
    encoding: 'utf8',
  });

describe('npm run understand: one message as the bot reads it', () => {
  it('prints the answers with their polarity, and the whole interpretation as JSON', async () => {
    const { stdout } = await run('we have no Premier contract', '--asking', 'purchasedPlan');
    expect(stdout).toMatch(/affirmed:\s+purchasedPlan=none/);
    expect(stdout).toMatch(/negated:\s+purchasedPlan=psfp/);
    const json = JSON.parse((await run('ASfP は持っていません', '--lang', 'ja', '--json')).stdout) as {
      language: string;
      negated: Record<string, string[]>;
    };
    expect(json.language).toBe('ja');
    expect(json.negated.purchasedPlan).toEqual(['asfp']);
  });

  it('answers --help, an unknown flag or a wrong value with its usage and exit code 2, not a stack trace', async () => {
    for (const args of [['--help'], ['--verbose', 'Azure'], ['Azure', '--asking', 'colour'], []]) {
      const failed = await run(...args).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code, args.join(' ')).toBe(2);
      expect(failed?.stderr).toMatch(/^usage: npm run understand/);
    }
  });
});
