import { describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { FamilyId, Lang, ProgramId, QuestionId, TierId } from '../src/knowledge/schema';
import { nextQuestion, route, severityFor } from '../src/engine/route';
import { everyCombination, everyDecidedCase } from '../src/engine/space';
import type { Answers, Outcome, Route } from '../src/engine/types';

const knowledge = getKnowledge();

/** Follows the engine's questions, answering each from `wanted`, and records what it asked. */
function converse(wanted: Answers, prefilled: Answers = {}): { asked: QuestionId[]; outcome: Outcome } {
  const asked: QuestionId[] = [];
  let answers: Answers = prefilled;
  for (;;) {
    const outcome = route(answers, 'en', knowledge);
    if (outcome.kind !== 'ask') return { asked, outcome };
    const value = wanted[outcome.question];
    if (value === undefined)
      throw new Error(`engine asked ${outcome.question}, not given in ${JSON.stringify(wanted)}`);
    asked.push(outcome.question);
    answers = { ...answers, [outcome.question]: value };
  }
}

function routeOf(wanted: Answers): Route {
  const { outcome } = converse(wanted);
  if (outcome.kind !== 'route')
    throw new Error(`expected a route, got ${outcome.kind} ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('the whole answer space', () => {
  it('every combination of answers yields a route, a clear "not eligible", or one more question that is still open', () => {
    let count = 0;
    const kinds = new Set<string>();
    for (const answers of everyCombination()) {
      const question = nextQuestion(answers, knowledge);
      count++;
      if (question === undefined) {
        const outcome = route(answers, 'en', knowledge);
        expect(outcome.kind).not.toBe('ask');
        kinds.add(outcome.kind);
        continue;
      }
      // The engine never asks again for an answer it was given and can use.
      const given = answers[question];
      if (given !== undefined) {
        expect(question).toBe('product');
        const product = knowledge.questions.product.options.find((option) => option.id === given);
        expect(product?.family).not.toBe(answers.family ?? product?.family);
      }
    }
    // family 6 × product 17 × program 5 × purchased plan 4 × tier 4 × competency 3 × version 3 × sign-in 3
    expect(count).toBe(220_320);
    expect(kinds).toEqual(new Set(['route', 'notEligible']));
  });

  it('from any partial answers, answering what the engine asks ends in a decision within eight questions', () => {
    for (const start of everyCombination()) {
      let answers = start;
      let turns = 0;
      for (let outcome = route(answers, 'en', knowledge); outcome.kind === 'ask'; turns++) {
        expect(turns).toBeLessThan(8);
        expect(outcome.choices.length).toBeGreaterThanOrEqual(2);
        answers = { ...answers, [outcome.question]: outcome.choices[0].id };
        outcome = route(answers, 'en', knowledge);
      }
    }
  }, 120_000);

  for (const lang of Lang.options) {
    describe(`every decided case, in ${lang}`, () => {
      const cases = everyDecidedCase(lang, knowledge);
      const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

      it('covers every family, program, tier and plan', () => {
        const routes = cases.map((c) => c.outcome).filter((o): o is Route => o.kind === 'route');
        expect(new Set(routes.map((r) => r.family.id))).toEqual(new Set(FamilyId.options));
        expect(new Set(routes.map((r) => r.plan.id))).toEqual(
          new Set(knowledge.plans.map((plan) => plan.id)),
        );
        expect(new Set(cases.map((c) => c.answers.program).filter(Boolean))).toEqual(
          new Set(ProgramId.options),
        );
        expect(new Set(cases.map((c) => c.answers.tier).filter(Boolean))).toEqual(new Set(TierId.options));
      });

      it.each(cases.map((c) => [JSON.stringify(c.answers), c] as const))(
        '%s says everything a partner needs',
        (_, c) => {
          const { outcome } = c;
          const text = JSON.stringify(outcome);
          expect(text).not.toContain('{locale}');
          expect(text).not.toContain('{count}');
          expect(outcome.sources.length).toBeGreaterThan(0);
          if (outcome.kind === 'notEligible') {
            expect(outcome.reason).not.toBe('');
            expect(outcome.instead.length).toBeGreaterThan(0);
            return;
          }
          expect(outcome.steps.length).toBeGreaterThanOrEqual(3);
          expect(outcome.entitlement).not.toBe('');
          expect(outcome.ids.text).not.toBe('');
          expect(outcome.severity.levels.map((level) => level.id)).toEqual(['A', 'B', 'C']);
          for (const link of [...outcome.kbs, ...outcome.links]) {
            expect(link.url).toMatch(/^https:\/\//);
            if (link.url.includes('support.microsoft.com') || link.url.includes('partner.microsoft.com/')) {
              expect(link.url).not.toMatch(lang === 'ja' ? /en-us/ : /ja-jp/);
            }
          }
          // Japanese cards speak Japanese; English cards do not fall back to Japanese text.
          for (const step of outcome.steps) expect(japanese.test(step.text)).toBe(lang === 'ja');
          // The route's own answers lead straight back to it.
          expect(route(c.answers, lang, knowledge)).toEqual(outcome);
        },
      );
    });
  }
});

describe('routes checked line by line against the seed', () => {
  it('on-premises, current version: no program question, the core benefit with incidents by tier and IDs once', () => {
    for (const [tier, incidents] of [
      ['actionPack', 10],
      ['silver', 15],
      ['gold', 20],
    ] as const) {
      const { asked, outcome } = converse({ family: 'onPremises', tier, version: 'current' });
      expect(asked).toEqual(['family', 'tier', 'version']);
      const r = outcome as Route;
      expect(r.id).toBe('onPremises/partnerSupportCoreBenefit');
      expect(r.portal.id).toBe('businessSupportPortal');
      expect(r.entitlement).toContain(String(incidents));
      expect(r.ids.required).toBe(true);
      expect(r.kbs.map((kb) => kb.id)).toContain('2904733');
      expect(r.knownErrors.map((e) => e.id)).toEqual(
        expect.arrayContaining(['code8', 'contractNotShown', 'supportPlanAlreadyMapped']),
      );
    }
  });

  it('on-premises, older version: pay-per-incident, which needs a Microsoft account', () => {
    const aad = converse({ family: 'onPremises', tier: 'silver', version: 'older', signIn: 'aad' });
    expect(aad.asked).toEqual(['family', 'tier', 'version', 'signIn']);
    const r = aad.outcome as Route;
    expect(r.id).toBe('onPremises/payPerIncident');
    expect(r.kbs.map((kb) => kb.id)).toEqual(expect.arrayContaining(['4032154', '4490370']));
    const msa = routeOf({ family: 'onPremises', tier: 'silver', version: 'older', signIn: 'msa' });
    // The AAD sign-in gets one more thing to know: switch to a Microsoft account.
    expect(r.caveats.length).toBeGreaterThan(msa.caveats.length);
  });

  it('Azure for a CSP partner: the Cloud Solution Provider plan, no IDs, and no tier question', () => {
    for (const program of ['cspDirect', 'indirectProvider', 'indirectReseller'] as const) {
      const { asked, outcome } = converse({ family: 'azure', program, purchasedPlan: 'none' });
      expect(asked).toEqual(['family', 'program', 'purchasedPlan']);
      const r = outcome as Route;
      expect(r.id).toBe('azure/cloudSolutionProvider');
      expect(r.ids.required).toBe(false);
      expect(r.portal.id).toBe('azurePortal');
    }
  });

  it('Azure for an advisor: Signature Cloud Support, unlimited for a cloud competency, else 5 or 10', () => {
    const azure = { family: 'azure', program: 'advisor', purchasedPlan: 'none' } as const;
    const unlimited = routeOf({ ...azure, tier: 'gold', competency: 'cloud' });
    expect(unlimited.id).toBe('azure/signatureCloudSupport');
    expect(unlimited.ids.required).toBe(true);
    expect(unlimited.entitlement).toBe(knowledge.entitlements.unlimited.en);
    expect(routeOf({ ...azure, tier: 'silver', competency: 'cloud' }).entitlement).toBe(
      knowledge.entitlements.unlimited.en,
    );
    const fivePack = routeOf({ ...azure, tier: 'silver', competency: 'other' });
    expect(fivePack.entitlement).toContain('5');
    // Only partners on a 5 or 10 pack are told to compare support plans.
    expect(fivePack.caveats.map((c) => c.id)).toContain('signatureTenOrFivePack');
    expect(unlimited.caveats.map((c) => c.id)).not.toContain('signatureTenOrFivePack');
    expect(routeOf({ ...azure, tier: 'gold', competency: 'other' }).entitlement).toContain('10');
  });

  it('Action Pack has no Signature Cloud Support: not eligible, with what to do instead', () => {
    for (const family of ['azure', 'dynamics365'] as const) {
      const { outcome } = converse({
        family,
        product: 'businessCentral',
        program: 'advisor',
        purchasedPlan: 'none',
        tier: 'actionPack',
      });
      expect(outcome.kind).toBe('notEligible');
      expect(outcome.kind === 'notEligible' && outcome.id).toBe('signatureNotForActionPack');
    }
  });

  it('a bought ASfP or PSfP is the plan to pick, with access IDs, whatever the tier', () => {
    expect(routeOf({ family: 'azure', program: 'cspDirect', purchasedPlan: 'asfp' }).id).toBe(
      'azure/advancedSupportForPartners',
    );
    const premier = routeOf({
      family: 'dynamics365',
      product: 'powerApps',
      program: 'advisor',
      purchasedPlan: 'psfp',
    });
    expect(premier.id).toBe('dynamics365/premierSupportForPartners');
    expect(premier.ids.required).toBe(true);
  });

  it('Dynamics 365 opens Lifecycle Services or the Power Platform depending on the app', () => {
    const base = {
      family: 'dynamics365',
      program: 'cspDirect',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'cloud',
    } as const;
    for (const product of ['d365FinanceOperations', 'd365Retail', 'd365Talent'] as const) {
      expect(routeOf({ ...base, product }).portal.id).toBe('lifecycleServices');
    }
    for (const product of [
      'd365CustomerEngagement',
      'businessCentral',
      'powerApps',
      'flow',
      'mixedReality',
      'ai',
    ] as const) {
      expect(routeOf({ ...base, product }).portal.id).toBe('powerPlatform');
    }
    // Dynamics 365 needs a support contract even for CSP partners.
    expect(routeOf({ ...base, product: 'flow' }).id).toBe('dynamics365/signatureCloudSupport');
  });

  it('Microsoft 365 and Cloud App Security need no contract: only product and program are asked', () => {
    const m365 = converse({ program: 'advisor' }, { product: 'intune' });
    expect(m365.asked).toEqual(['program']);
    const r = m365.outcome as Route;
    expect(r.id).toBe('microsoft365/microsoft365NoContract');
    expect(r.ids.required).toBe(false);
    expect(r.product?.id).toBe('intune');
    const cas = converse({ family: 'cloudAppSecurity', program: 'indirectReseller' });
    expect(cas.asked).toEqual(['family', 'program']);
    expect((cas.outcome as Route).id).toBe('cloudAppSecurity/professionalNoCharge');
  });

  it('delegated admin steps differ by program', () => {
    const stepsFor = (program: Answers['program']) =>
      routeOf({ family: 'microsoft365', product: 'office365', program }).steps.map((step) => step.id);
    expect(stepsFor('advisor')).not.toEqual(stepsFor('cspDirect'));
    expect(stepsFor('indirectReseller')).not.toEqual(stepsFor('cspDirect'));
  });

  it('a product from another family than the one chosen is not trusted', () => {
    expect(nextQuestion({ family: 'dynamics365', product: 'intune' }, knowledge)).toBe('product');
  });

  it('is pure: the same answers give the same route, and the answers are not changed', () => {
    const answers: Answers = {
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'other',
    };
    const copy = structuredClone(answers);
    expect(route(answers, 'ja', knowledge)).toEqual(route(answers, 'ja', knowledge));
    expect(answers).toEqual(copy);
  });
});

describe('severity', () => {
  it.each([
    [{ ready24x7: true, businessDown: true }, 'A'],
    [{ ready24x7: true, businessDown: false, companyWideStop: true }, 'B'],
    [{ ready24x7: false, businessDown: true, companyWideStop: true }, 'B'],
    [{ ready24x7: false, companyWideStop: false }, 'C'],
    [{ ready24x7: true, businessDown: false, companyWideStop: false }, 'C'],
  ] as const)('%o → %s', (situation, expected) => {
    expect(severityFor(situation)).toBe(expected);
  });
});
