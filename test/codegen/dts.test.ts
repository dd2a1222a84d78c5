/**
 * The `.d.ts` of compiled modules is valid TypeScript, describes the same shapes as the library's
 * own types (src/api/types.ts, the engines' AccessDecision), and narrows actions and rule ids to the
 * policy. Checked with the real compiler (`tsc --noEmit`, strict, without skipLibCheck) in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileIr } from '../../src/codegen/compile.js';
import { interfaceDeclarations } from '../../src/codegen/dts.js';
import { PUBLIC_SHAPES } from '../../src/lang/builtins.js';
import { irOf } from '../conformance/harness.js';
import { apiTypesSource, API_TYPES_PATH } from '../../scripts/gen-api-types.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Hostile action names: they reach the `.d.ts` only as serialized string literals. */
const HOSTILE = [
  'version: "1.0"',
  'schema:',
  '  request:',
  `    action: {enum: [read, '*/ declare const x: 1; /*', 'a"b\\c', "it's", '\${x}', "</script>\\u2028"]}`,
  'rules:',
  '  - id: only_rule',
  '    action: {allow: true}',
  '',
].join('\n');

/** A usage file for `<name>.js`: type-level agreement with the library, and narrowing. */
function usage(name: string, action: string, lib: string): string {
  return `import { decide, quote, policyInfo, type AccessDecision, type AccessRequest, type AssetData, type AssetType, type DecideOptions, type PolicyAction, type PolicyRuleId, type Tier, type UserContext } from './${name}.js';
import type * as Lib from '${lib}';
import type * as Desc from './description.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): T | void {}

check<Equal<UserContext, Lib.UserContext>>();
check<Equal<AssetData, Lib.AssetData>>();
check<Equal<DecideOptions, Lib.DecideOptions>>();
check<Equal<Tier, Lib.Tier>>();
check<Equal<AssetType, Lib.AssetType>>();
check<Equal<keyof AccessRequest, keyof Lib.AccessRequest>>();
check<Equal<keyof AccessDecision, keyof Lib.AccessDecision>>();
// The engines' own AccessDecision is the description's.
check<Equal<Desc.AccessDecision, Lib.AccessDecision>>();
// A compiled module's request and decision are the library's, narrowed.
export function widen(r: AccessRequest, d: AccessDecision): [Lib.AccessRequest, Lib.AccessDecision] {
  return [r, d];
}

const action: PolicyAction = ${JSON.stringify(action)};
const request: AccessRequest = { assetId: 'a', action, timestamp: 0, context: { userId: 'u', tier: 'pro', tokenBalance: 1, entitlements: [], segment: 'x' }, asset: { type: 'model', tags: [] } };
const decision = decide(request, { params: { surge: 2 } });
export const id: PolicyRuleId | 'default_deny' | 'invalid_request' = decision.policyId;
export const ids: readonly PolicyRuleId[] = policyInfo.ruleIds;
export const quoted: false = quote(['a']).available;
export const custom: UserContext = { userId: 'u', tier: 'platinum', tokenBalance: 0, entitlements: [] };
// @ts-expect-error -- not an action of this policy
decide({ ...request, action: 'not an action of the policy' });
// @ts-expect-error -- policyId is narrowed to the policy's rule ids
export const wrong: 'no_such_rule' = decision.policyId;
// @ts-expect-error -- the user context is required
decide({ assetId: 'a', action });
`;
}

describe('compiled .d.ts', () => {
  it('type-checks with tsc, agrees with the library types and narrows to the policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monetize-dts-'));
    const policies = readdirSync(join(ROOT, 'examples'))
      .filter((f) => /^(monetization|marketplace)-policy\.yaml$/.test(f))
      .map((f) => ({ name: f.replace(/\.yaml$/, ''), text: readFileSync(join(ROOT, 'examples', f), 'utf8') }));
    expect(policies).toHaveLength(2);
    policies.push({ name: 'hostile', text: HOSTILE });
    const lib = relative(dir, join(ROOT, 'dist', 'src', 'api', 'types.js')).split('\\').join('/');
    for (const { name, text } of policies) {
      const ir = irOf(text, `${name}.yaml`);
      const { code, dts } = await compileIr(ir);
      writeFileSync(join(dir, `${name}.js`), code);
      writeFileSync(join(dir, `${name}.d.ts`), dts);
      writeFileSync(join(dir, `use-${name}.ts`), usage(name, ir.actions[0]!, lib.startsWith('.') ? lib : `./${lib}`));
    }
    const decisionShape = PUBLIC_SHAPES.filter((s) => s.name === 'AccessDecision');
    expect(decisionShape).toHaveLength(1);
    writeFileSync(join(dir, 'description.ts'), interfaceDeclarations('library', [], decisionShape).join('\n') + '\n');
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [], strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false },
        include: ['*.ts'],
      }),
    );
    const hostileDts = readFileSync(join(dir, 'hostile.d.ts'), 'utf8');
    expect(hostileDts).toContain('export type PolicyAction = "read" | "*/ declare const x: 1; /*" | "a\\"b\\\\c" | "it\'s" | "${x}" | "\\u003c/script>\\u2028";');
    let out = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out).toBe('');
  });
});

describe(API_TYPES_PATH, () => {
  it('is the output of scripts/gen-api-types.ts (regenerate: npm run build && node dist/scripts/gen-api-types.js)', () => {
    expect(readFileSync(join(ROOT, API_TYPES_PATH), 'utf8') === apiTypesSource()).toBe(true);
  });
});
