import { describe, expect, it } from 'vitest';
import { route } from '../src/engine/route';
import { everyDecidedCase } from '../src/engine/space';
import { routesDiagram } from '../src/insights/diagram';
import { getKnowledge } from '../src/knowledge/load';
import { Lang } from '../src/knowledge/schema';

const knowledge = getKnowledge();

describe('routes diagram', () => {
  for (const lang of Lang.options) {
    it(`draws every route and not-covered outcome in a Mermaid flowchart (${lang})`, () => {
      const markdown = routesDiagram(lang, knowledge);
      const charts = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
      const ids = new Set(everyDecidedCase(lang, knowledge).map((c) => c.outcome.id));
      expect(ids.size).toBeGreaterThan(5);
      for (const id of ids) expect(charts, id).toMatch(new RegExp(`\\("${id}<br/>|\\{\\{"${id}<br/>`));
    });
  }

  it('labels questions and answers in the chosen language', () => {
    const ja = routesDiagram('ja', knowledge);
    const en = routesDiagram('en', knowledge);
    const question = (lang: Lang) => {
      const asked = knowledge.questions.program;
      return asked.prompt[lang];
    };
    expect(ja).toContain(question('ja'));
    expect(en).toContain(question('en'));
    expect(ja).not.toContain(question('en'));
  });

  it('follows every decided path, answer by answer, to its outcome (en)', () => {
    const markdown = routesDiagram('en', knowledge);
    const sections = markdown.split(/^## /m).slice(1);
    for (const decided of everyDecidedCase('en', knowledge)) {
      const steps = Object.entries(decided.answers);
      const family = knowledge.questions.family.options.find((o) => o.id === steps[0][1])!;
      const chart = sections.find((s) => s.startsWith(`${family.label.en}\n`))!;
      const nodes = new Map([...chart.matchAll(/^ {2}(n\d+)[[({]+"(.*?)"/gm)].map((m) => [m[1], m[2]]));
      const edges = [...chart.matchAll(/^ {2}(n\d+) -->\|"(.*?)"\| (n\d+)$/gm)];
      let at = 'n0';
      let prefix: Record<string, unknown> = Object.fromEntries(steps.slice(0, 1));
      for (const [question, value] of steps.slice(1)) {
        const asked = route(prefix, 'en', knowledge);
        if (asked.kind !== 'ask') throw new Error('the engine decided early');
        const label = asked.choices.find((c) => c.id === value)!.label;
        const edge = edges.find((e) => e[1] === at && e[2] === label);
        expect(edge, `${JSON.stringify(decided.answers)} at ${question}`).toBeDefined();
        at = edge![3];
        prefix = { ...prefix, [question]: value };
      }
      expect(nodes.get(at)?.split('<br/>')[0]).toBe(decided.outcome.id);
    }
  });
});
