/** Deterministic generators of large policies and request streams for benchmarks. */

/** A small seeded PRNG (mulberry32) so every run measures the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = ['free', 'pro', 'enterprise'];
const ACTIONS = ['read', 'download', 'execute', 'derive'];
const TYPES = ['content', 'code', 'data', 'model'];
const TAGS = ['premium', 'beta', 'internal', 'gpu', 'eu', 'archive'];

/** A policy of `n` rules mixing map conditions, expression conditions and costs with multipliers. */
export function generatePolicy(n: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines: string[] = [
    'version: "1.0"',
    'currency: USD',
    'rounding: {decimals: 2, mode: half_even}',
    'schema:',
    '  user:',
    '    segment: {enum: [student, startup, agency, enterprise_co]}',
    '  asset:',
    '    metadata:',
    '      compute_cost: number',
    'params:',
    '  surge: 1.0',
    'rules:',
  ];
  for (let i = 0; i < n; i++) {
    const prio = Math.floor(r() * 1000);
    lines.push(`  - id: rule_${i}`);
    lines.push(`    priority: ${prio}`);
    const kind = r();
    if (kind < 0.4) {
      lines.push('    condition:');
      lines.push(`      request.action: ${pick(ACTIONS)}`);
      lines.push(`      user.tier: [${pick(TIERS)}, ${pick(TIERS)}]`);
      lines.push(`      user.token_balance: "> ${Math.floor(r() * 100)}"`);
      lines.push(`      asset.type: ${pick(TYPES)}`);
    } else if (kind < 0.8) {
      lines.push(
        `    condition: "request.action == '${pick(ACTIONS)}' and asset.type == '${pick(TYPES)}' and (asset.tags contains '${pick(TAGS)}' or user.segment in ['student', 'startup']) and user.token_balance > ${Math.floor(r() * 200)}"`,
      );
    } else {
      lines.push(`    condition: "request.action in ['${pick(ACTIONS)}', '${pick(ACTIONS)}'] and user.token_balance >= ${Math.floor(r() * 500)} and not (user.tier == 'free')"`);
    }
    if (r() < 0.7) {
      lines.push('    action:');
      lines.push('      allow: true');
      lines.push('      cost:');
      lines.push(`        base: ${(1 + Math.floor(r() * 20)) / 4}`);
      lines.push('        multipliers:');
      lines.push(`          - {if: "asset.type == '${pick(TYPES)}'", value: ${1 + Math.floor(r() * 4)}}`);
      lines.push(`          - {if: "asset.tags contains '${pick(TAGS)}'", value: "params.surge * 2"}`);
    } else {
      lines.push(`    action: {allow: false, reason: denied_${i % 7}, redirect: /pricing}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A policy declaring `n` fields under `schema:`, spread over user, request, asset and
 * asset.metadata (numbers, strings and optional enums), with one rule reading the last of each, and
 * `typos` more rules each reading a misspelt field (every one an M300 with a did-you-mean hint).
 */
export function generateDeclaredFields(n: number, typos = 0): string {
  const sections = [
    { head: '  user:', indent: '    ', prefix: 'user', name: 'u' },
    { head: '  request:', indent: '    ', prefix: 'request', name: 'r' },
    { head: '  asset:', indent: '    ', prefix: 'asset', name: 'a' },
    { head: '    metadata:', indent: '      ', prefix: 'asset.metadata', name: 'm' },
  ];
  const per = Math.ceil(n / sections.length);
  const decl = (i: number): string => (i % 3 === 0 ? 'number' : i % 3 === 1 ? 'string' : `{enum: [a${i}, b${i}], optional: true}`);
  const lines = ['version: "1.0"', 'schema:'];
  for (const s of sections) {
    lines.push(s.head);
    for (let i = 0; i < per; i++) lines.push(`${s.indent}${s.name}_field_${i}: ${decl(i)}`);
  }
  const lastNumber = per - 1 - ((per - 1) % 3);
  lines.push('rules:', '  - id: reads_declared_fields');
  lines.push(`    condition: "${sections.map((s) => `${s.prefix}.${s.name}_field_${lastNumber} > 0`).join(' and ')}"`);
  lines.push('    action: {allow: true, cost: 1}');
  for (let i = 0; i < typos; i++) lines.push(`  - id: typo_${i}`, `    condition: "user.u_feild_${i * 3} > 0"`, '    action: {allow: true, cost: 1}');
  return `${lines.join('\n')}\n`;
}

/** Requests shaped like real traffic for the seed policy and generated policies. */
export function generateRequests(n: number, seed = 7): Record<string, unknown>[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const tags: string[] = [];
    for (const t of TAGS) if (r() < 0.25) tags.push(t);
    out.push({
      assetId: `${pick(TYPES)}:asset-${Math.floor(r() * 500)}`,
      action: pick(ACTIONS),
      timestamp: 1764000000000 + Math.floor(r() * 86400000 * 30),
      context: {
        userId: `u_${Math.floor(r() * 10000)}`,
        tier: pick(TIERS),
        tokenBalance: r() < 0.2 ? 0 : Math.floor(r() * 500),
        entitlements: [],
        segment: pick(['student', 'startup', 'agency', 'enterprise_co']),
      },
      asset: { type: pick(TYPES), tags, metadata: { compute_cost: r() / 10 } },
    });
  }
  return out;
}
