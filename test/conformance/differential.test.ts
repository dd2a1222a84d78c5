/**
 * Property-based differential test (SPEC section 9): on random well-typed policies and random
 * requests, the reference interpreter, the compiled module and the compiled module with rule
 * indexing forced give identical decisions; decide never throws and never mutates its input.
 */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedSource } from '../../src/codegen/compile.js';
import { deepFreeze, inProcessEngines, irOf } from './harness.js';
import { genPolicy } from './gen.js';
import { genRequest } from './gen-request.js';
import { Rng } from './rng.js';

// DIFF_POLICIES=5000 for a longer bug hunt; the default keeps the suite fast.
const POLICIES = Number(process.env.DIFF_POLICIES ?? 300);
const REQUESTS_PER_POLICY = 20;

/** A comparable text for decisions and requests: keeps -0, NaN, infinities and undefined apart. */
function fingerprint(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))) return `#num:${Object.is(x, -0) ? '-0' : String(x)}`;
    if (x === undefined) return '#undefined';
    return x;
  }) ?? '#undefined';
}

function show(v: unknown): string {
  return fingerprint(v).slice(0, 2000);
}

describe('differential: interpreter vs compiled vs compiled-indexed', () => {
  it(`agrees on ${POLICIES} random policies x ${REQUESTS_PER_POLICY} requests`, () => {
    const stats = { policies: 0, indexed: 0, decisions: 0, byRule: 0, defaultDeny: 0, invalid: 0, withCost: 0 };
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const rng = new Rng(g);
        const p = genPolicy(rng);
        const text = dump(p.doc, { noRefs: true });
        const ir = irOf(text, 'generated.yaml');
        const engines = inProcessEngines(ir);
        stats.policies++;
        if (generatedSource(ir, { indexThreshold: 1 }).includes('bucketOf')) stats.indexed++;
        for (let i = 0; i < REQUESTS_PER_POLICY; i++) {
          const { request, options } = genRequest(rng, p);
          const before = fingerprint([request, options]);
          const decisions = engines.map((e) => {
            try {
              return e.decide(request, options);
            } catch (err) {
              throw new Error(`${e.name} threw ${String(err)}\n--- policy ---\n${text}\n--- request ---\n${show(request)}`);
            }
          });
          const want = fingerprint(decisions[0]);
          engines.forEach((e, k) => {
            if (fingerprint(decisions[k]) !== want) {
              throw new Error(
                `${e.name} disagrees with the interpreter\n  interpreter: ${want}\n  ${e.name}: ${fingerprint(decisions[k])}\n--- policy ---\n${text}\n--- request ---\n${show(request)}\n--- options ---\n${show(options)}`,
              );
            }
          });
          if (fingerprint([request, options]) !== before) throw new Error(`decide mutated its input\n--- policy ---\n${text}`);
          // A frozen request must decide the same: strict-mode code that tried to write would throw.
          deepFreeze(request);
          deepFreeze(options);
          for (const e of engines) {
            if (fingerprint(e.decide(request, options)) !== want) throw new Error(`${e.name} decides differently on a frozen request\n--- policy ---\n${text}`);
          }
          const d = decisions[0]!;
          stats.decisions++;
          if (d.policyId === 'invalid_request') stats.invalid++;
          else if (d.policyId === 'default_deny') stats.defaultDeny++;
          else stats.byRule++;
          if (d.cost !== undefined) stats.withCost++;
        }
      }),
      // Shrinking a generated policy is slow and rarely simpler than the failure message, which
      // already prints the policy and the request: set SHRINK=1 to shrink anyway.
      { numRuns: POLICIES, endOnFailure: process.env.SHRINK !== '1' },
    );
    // The generator must actually exercise the engines, not just produce default_deny.
    expect(stats.policies).toBe(POLICIES);
    expect(stats.byRule / stats.decisions).toBeGreaterThan(0.2);
    expect(stats.defaultDeny / stats.decisions).toBeGreaterThan(0.05);
    expect(stats.invalid / stats.decisions).toBeGreaterThan(0.01);
    expect(stats.withCost / stats.decisions).toBeGreaterThan(0.05);
    expect(stats.indexed / stats.policies).toBeGreaterThan(0.1);
    console.info(`differential: ${JSON.stringify(stats)}`);
  }, 30_000 + POLICIES * 100);
});
