/**
 * Hostile reads: what an engine reads, and how often. A polluted Object.prototype (or
 * Array.prototype) must supply no value — not to the policy data an engine holds (a rule's reason,
 * redirect, cost or condition, a field's fallback or enum values), not to a hole in a request list —
 * and every request value, list elements included, is read exactly once per decision, so a getter
 * or Proxy that answers differently on each read cannot make two engines disagree.
 */
import { expect } from 'vitest';
import type { AccessDecision } from '../../src/api/types.js';
import { withProps, type HostileRequest } from './hostile-requests.js';

/**
 * Rules that read a declared string, an enum without a fallback, a string list tested only for
 * literals (which compiled modules read as a mask) in three rules and a number list (read as a
 * copy); the last rule has no condition.
 */
export const READS_POLICY = `version: "1.0"
schema:
  user:
    nick: string
    lucky: list<number>
params:
  surge: 2
assets:
  - id: "model:reg"
    type: model
    tags: [premium]
rules:
  - id: nick_allow
    priority: 100
    condition: "user.nick == 'plain'"
    action: {allow: true}
  - id: typed
    priority: 90
    condition: "asset.type == 'model'"
    action: {allow: true, cost: "params.surge"}
  - id: tag_a
    priority: 80
    condition: "asset.tags contains 'a'"
    action: {allow: false, reason: tag_a}
  - id: tag_qb
    priority: 75
    condition: "'b' in asset.tags and 'c' not in asset.tags and 'q' in asset.tags"
    action: {allow: true, cost: 2}
  - id: tag_b
    priority: 70
    condition: "asset.tags contains 'b'"
    action: {allow: true, cost: 1}
  - id: lucky
    priority: 60
    condition: "user.lucky contains 7 and len(user.lucky) == 2"
    action: {allow: true}
  - id: catch_all
    priority: 0
    action: {allow: false}
`;

const SPAN = { start: 0, end: 0 };

/** IR-shaped values for every optional or always-present key of the IR an engine might read through a prototype. */
export const IR_POLLUTION: Readonly<Record<string, unknown>> = {
  reason: 'polluted',
  redirect: '/polluted',
  cost: { base: { k: 'lit', value: 7, span: SPAN }, multipliers: [] },
  cond: { k: 'lit', value: false, span: SPAN },
  priority: 1e9,
  allow: true,
  fallback: 'model',
  enumValues: ['nobody'],
  element: 'number',
};

const NICK = { assetId: 'x', action: 'read', context: { nick: 'plain' } } as const;
const NOTHING = { assetId: 'x', action: 'read', context: {} } as const;
const req = (context: Record<string, unknown>, asset?: unknown): Record<string, unknown> => ({ assetId: 'x', action: 'read', context, ...(asset === undefined ? {} : { asset }) });
const tags = (list: unknown): Record<string, unknown> => req({}, { tags: list });

const exactly = (d: Partial<AccessDecision>) => (got: AccessDecision) => expect(got).toEqual(d);
const NICK_ALLOW = exactly({ allowed: true, policyId: 'nick_allow' });
const CATCH_ALL = exactly({ allowed: false, policyId: 'catch_all' });
const TAG_B = exactly({ allowed: true, policyId: 'tag_b', cost: 1 });

/** Decide `request` with `props` on Object.prototype. */
const pollutedBy = (name: string, props: Readonly<Record<PropertyKey, unknown>>, request: unknown, check: (d: AccessDecision) => void, target: object = Object.prototype): HostileRequest => ({
  name,
  run: (decide) => withProps(target, props, () => decide(request)),
  expect: check,
});

/** An array whose element `i` is a getter answering `answers` in turn (then the last one); `reads()` counts the calls. */
function statefulList(length: number, i: number, answers: readonly unknown[]): { list: unknown[]; reads: () => number } {
  let n = 0;
  const list: unknown[] = Array.from({ length }, () => 'z');
  Object.defineProperty(list, i, { enumerable: true, configurable: true, get: () => answers[Math.min(n++, answers.length - 1)] });
  return { list, reads: () => n };
}

/** A Proxy over `target` counting `get` traps by key. */
function countingProxy<T extends object>(target: T, handler: ProxyHandler<T> = {}): { proxy: T; gets: Map<PropertyKey, number> } {
  const gets = new Map<PropertyKey, number>();
  const proxy = new Proxy(target, {
    ...handler,
    get: (t, k, r) => {
      gets.set(k, (gets.get(k) ?? 0) + 1);
      return handler.get ? handler.get(t, k, r) : Reflect.get(t, k, r);
    },
  });
  return { proxy, gets };
}

/** A case whose request is built afresh for each engine, with a check of what was read run right after deciding. */
function counted(name: string, make: () => { request: unknown; check: () => void }, check: (d: AccessDecision) => void): HostileRequest {
  return {
    name,
    run: (decide) => {
      const { request, check: reads } = make();
      const d = decide(request);
      reads();
      return d;
    },
    expect: check,
  };
}

/** Every hostile-reads case (run against READS_POLICY). */
export function hostileReads(): HostileRequest[] {
  const cases: HostileRequest[] = [];
  // Policy data: a key the IR leaves out must stay out, whatever Object.prototype says.
  for (const key of ['reason', 'redirect', 'cost', 'priority', 'allow', 'enumValues', 'element']) {
    cases.push(pollutedBy(`Object.prototype.${key} does not change a decision`, { [key]: IR_POLLUTION[key] }, NICK, NICK_ALLOW));
  }
  cases.push(
    pollutedBy('Object.prototype.cond does not give a rule without a condition one', { cond: IR_POLLUTION.cond }, NOTHING, CATCH_ALL),
    pollutedBy('Object.prototype.fallback does not supply an absent asset field', { fallback: IR_POLLUTION.fallback }, NOTHING, CATCH_ALL),
    pollutedBy('Object.prototype.cost does not cost a rule without a cost', { cost: IR_POLLUTION.cost }, NOTHING, CATCH_ALL),
    pollutedBy('Object.prototype.errors does not make a well-formed request invalid', { errors: ['polluted'] }, NICK, NICK_ALLOW),
    pollutedBy('all IR keys on Object.prototype at once', IR_POLLUTION, NICK, NICK_ALLOW),
    pollutedBy('all IR keys on Object.prototype at once (no rule but the last)', IR_POLLUTION, NOTHING, CATCH_ALL),
  );
  // Holes: absent, so a list with one is not a list of its element type.
  cases.push(
    pollutedBy('a hole is not read from Object.prototype[0]', { 0: 'a' }, tags([, 'z']), CATCH_ALL),
    pollutedBy('new Array(1) is not filled from Object.prototype[0]', { 0: 'a' }, tags(new Array(1)), CATCH_ALL),
    pollutedBy('new Array(1) is not filled from Array.prototype[0]', { 0: 'b' }, tags(new Array(1)), CATCH_ALL, Array.prototype),
    pollutedBy('a hole in a number list is not read from Object.prototype[1]', { 1: 7 }, req({ lucky: [3, , ] }), CATCH_ALL),
    { name: 'a hole with nothing polluted makes the list absent', run: (d) => d(tags(['b', , 'b'])), expect: CATCH_ALL },
    { name: 'a literal not in a list (all engines, mask or copy)', run: (d) => d(tags(['q', 'b', 'c'])), expect: TAG_B },
    { name: 'a well-formed list next to the holes is read normally', run: (d) => d(req({ lucky: [3, 7] })), expect: exactly({ allowed: true, policyId: 'lucky' }) },
    {
      name: 'a Proxy list that answers get for an index it does not own is a list with a hole',
      run: (d) => d(tags(new Proxy(new Array(1), { get: (t, k, r) => (k === '0' ? 'b' : Reflect.get(t, k, r)) }))),
      expect: CATCH_ALL,
    },
    {
      name: 'a Proxy list whose length is not an array length is not a list',
      run: (d) => d(tags(new Proxy(['b'], { get: (t, k, r) => (k === 'length' ? '1' : Reflect.get(t, k, r)) }))),
      expect: CATCH_ALL,
    },
  );
  // Stateful getters: one read per value per decision, in every engine.
  cases.push(
    counted(
      'a list element is read once, though two rules test the list',
      () => {
        const s = statefulList(1, 0, ['b']);
        return { request: tags(s.list), check: () => expect(s.reads(), 'reads of tags[0]').toBe(1) };
      },
      TAG_B,
    ),
    counted(
      'a list element that changes on later reads is seen as first read',
      () => {
        const s = statefulList(2, 1, ['x', 'x', 'b']);
        return { request: tags(s.list), check: () => expect(s.reads(), 'reads of tags[1]').toBe(1) };
      },
      CATCH_ALL,
    ),
    counted(
      'a list element that turns into a number after it was validated',
      () => {
        const s = statefulList(1, 0, ['b', 42]);
        return { request: tags(s.list), check: () => expect(s.reads(), 'reads of tags[0]').toBe(1) };
      },
      TAG_B,
    ),
    counted(
      'a number list element read once (membership, then length)',
      () => {
        const s = statefulList(2, 1, [7, 8]);
        s.list[0] = 3;
        return { request: req({ lucky: s.list }), check: () => expect(s.reads(), 'reads of lucky[1]').toBe(1) };
      },
      exactly({ allowed: true, policyId: 'lucky' }),
    ),
    counted(
      'a Proxy list: length and each element read once',
      () => {
        const p = countingProxy(['q', 'b']);
        return {
          request: tags(p.proxy),
          check: () => {
            expect(p.gets.get('length'), 'reads of length').toBe(1);
            expect(p.gets.get('0'), 'reads of [0]').toBe(1);
            expect(p.gets.get('1'), 'reads of [1]').toBe(1);
          },
        };
      },
      exactly({ allowed: true, policyId: 'tag_qb', cost: 2 }),
    ),
    counted(
      'a context field that changes on later reads is seen as first read',
      () => {
        let n = 0;
        const context = Object.defineProperty({}, 'nick', { enumerable: true, get: () => (n++ === 0 ? 'plain' : 'other') });
        return { request: req(context), check: () => expect(n, 'reads of nick').toBe(1) };
      },
      NICK_ALLOW,
    ),
    {
      // Every engine reads a list the policy uses up front, whichever rule decides: an indexed
      // module that skips the rules reading it must not decide differently from one that does not.
      name: 'a list that throws when read makes the request unreadable, even when an earlier rule decides',
      run: (d) => d(req({ nick: 'plain' }, { tags: Object.defineProperty(['b'], 0, { get: () => { throw new Error('boom-tag'); } }) })),
      expect: exactly({ allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors: ['the request could not be read: boom-tag'] }),
    },
  );
  return cases;
}
