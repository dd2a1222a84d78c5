/** The seed policy expressed for json-rules-engine, the most used JavaScript rules engine. */
import type { AccessDecision } from '../src/ir/decision.js';
import { Engine } from 'json-rules-engine';

type Decision = AccessDecision;

/** Build an async decide over json-rules-engine (first successful rule by priority decides). */
export function jsonRulesEngineDecide(): (req: Record<string, unknown>) => Promise<Decision> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ name: 'enterprise_unlimited', priority: 100, conditions: { all: [{ fact: 'context', path: '$.tier', operator: 'equal', value: 'enterprise' }] }, event: { type: 'enterprise_unlimited' } });
  engine.addRule({ name: 'dynamic_token_pricing', priority: 50, conditions: { all: [{ fact: 'context', path: '$.tokenBalance', operator: 'greaterThan', value: 0 }] }, event: { type: 'dynamic_token_pricing' } });
  engine.addRule({ name: 'free_tier_paywall', priority: 10, conditions: { all: [{ fact: 'context', path: '$.tier', operator: 'equal', value: 'free' }] }, event: { type: 'free_tier_paywall' } });
  return async (req) => {
    const { events } = await engine.run(req);
    const first = events[0]?.type;
    if (first === 'enterprise_unlimited') return { allowed: true, policyId: first, cost: 0 };
    if (first === 'dynamic_token_pricing') {
      const asset = (req.asset ?? {}) as { type?: string; tags?: string[] };
      let cost = 1;
      if (asset.type === 'model') cost *= 5;
      if (asset.tags?.includes('premium')) cost *= 2;
      return { allowed: true, policyId: first, cost };
    }
    if (first === 'free_tier_paywall') return { allowed: false, policyId: first, reason: 'upgrade_required', redirect: '/pricing' };
    return { allowed: false, policyId: 'default_deny', reason: 'no_matching_policy' };
  };
}
