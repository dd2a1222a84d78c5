/**
 * The `.d.ts` of compiled modules is valid TypeScript, is the library's types narrowed to the
 * policy — its enums, its declared fields under their request keys, its params, optional marks —
 * so that TypeScript catches a misspelt value, key or type, and carries policy text only in string
 * literals. Checked with the real compiler (`tsc --noEmit`, strict, without skipLibCheck).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileIr } from '../../src/codegen/compile.js';
import { emitDts, interfaceDeclarations } from '../../src/codegen/dts.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { PUBLIC_SHAPES } from '../../src/lang/builtins.js';
import { irOf } from '../conformance/harness.js';
import { scanJs } from '../conformance/js-scan.js';
import { apiTypesSource, API_TYPES_PATH } from '../../scripts/gen-api-types.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A policy that declares a little of everything the `.d.ts` types. */
const TYPED = `version: "1.0"
schema:
  user:
    tier: {enum: [free, pro, enterprise, platinum]}
    segment: {enum: [student, startup]}
    seats: number
    nick_name: {type: string, optional: true}
    token_balance: {type: number, optional: true}
    country: {type: string, optional: false}
  asset:
    type: {enum: [model, dataset]}
    licence: string
    metadata:
      compute_cost: number
      gpu hours: {type: number, optional: true}
  request:
    channel: {enum: [web, api]}
    dry_run: {type: boolean, optional: true}
    flags: list<string>
    weights: list<number>
params:
  surge: 1.5
  label: promo
  strict: false
rules:
  - id: only_rule
    condition: "user.segment == 'student' and exists(user.nick_name) and request.channel == 'web'"
    action: {allow: true}
`;

/** Strings that would break out of a literal or a comment if they were ever written raw. */
const HOSTILE_STRINGS = ['*/ declare const x: 1; /*', 'a"b\\c', "it's", '${x}', '</script>\u2028', '"; export declare const pwned: 1; "', 'x: 1 }; export type Y = {', '__proto__', '\\', '\n//'];

/**
 * Hostile text everywhere a policy can put it into the `.d.ts`: enum values (built-in and declared)
 * and metadata keys; identifiers that mean something to JavaScript as field and param names.
 * `name` renames every hostile string (the benign twin renames them to plain words).
 */
function hostilePolicy(name: (s: string) => string): string {
  const q = (s: string) => JSON.stringify(name(s)).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const values = HOSTILE_STRINGS.map(q).join(', ');
  return [
    'version: "1.0"',
    'schema:',
    '  user:',
    `    tier: {enum: [${values}]}`,
    `    kind: {enum: [${values}]}`,
    '    __proto__: number',
    '    constructor: {type: string, optional: true}',
    '  asset:',
    `    type: {enum: [${values}]}`,
    '    metadata:',
    ...HOSTILE_STRINGS.map((s) => `      ${q(s)}: number`),
    '  request:',
    `    action: {enum: [${values}]}`,
    'params:',
    '  __proto__: 1',
    '  toString: x',
    'rules:',
    '  - id: only_rule',
    '    action: {allow: true}',
    '',
  ].join('\n');
}

/** TypeScript text of a value of a declared type: the first enum value, or a plain value. */
function sample(f: IrPolicy['requestFields'][number]): string {
  const scalar = f.enumValues ? JSON.stringify(f.enumValues[0]) : f.kind === 'list' ? '' : f.kind === 'number' ? '0' : f.kind === 'boolean' ? 'false' : '"s"';
  return f.kind === 'list' ? `[${f.enumValues ? scalar : ''}]` : scalar;
}

/** A request every field the policy requires (built in or declared), each with a valid value. */
function minimalRequest(ir: IrPolicy): string {
  const required = (from: string) => ir.requestFields.filter((f) => f.source.from === from && !f.optional && f.path !== 'asset.id' && f.path !== 'request.action');
  const members = (from: string) => required(from).map((f) => `${JSON.stringify(f.source.key)}: ${sample(f)}`);
  return `{ assetId: 'a', action: ${JSON.stringify(ir.actions[0])}, ${[...members('request'), `context: { ${members('context').join(', ')} }`].join(', ')} }`;
}

/**
 * A usage file for `<name>.js`: what holds for every policy's module. Its types are assignable to
 * the library's (`widen`) unless the policy makes a field optional that the library requires, or
 * names a field after a member of `Object` (whose type then also admits the inherited member's).
 */
function usage(name: string, ir: IrPolicy, lib: string, widen = true): string {
  return `import { decide, quote, policyInfo, type AccessDecision, type AccessRequest, type AssetData, type AssetMetadata, type DecideOptions, type PolicyParams, type PolicyRuleId, type Quote, type QuoteError, type QuoteErrorCode, type QuoteLine, type QuoteRequest, type QuoteTaxLine, type UserContext } from './${name}.js';
import type * as Lib from '${lib}';
import type * as Desc from './description.js';
import type * as Engine from '${lib.replace(/api\/types\.js$/, 'money/engine.js')}';
import type * as Api from '${lib.replace(/types\.js$/, 'index.js')}';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): T | void {}
/** The keys of a type without its index signature. */
type Known<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

// Every member of the library's shapes is in the module's, which add only the policy's own fields.
check<Equal<Exclude<Known<Lib.UserContext>, keyof UserContext>, never>>();
check<Equal<Exclude<Known<Lib.AssetData>, keyof AssetData>, never>>();
check<Equal<Exclude<Known<Lib.AccessRequest>, keyof AccessRequest>, never>>();
check<Equal<keyof DecideOptions, keyof Lib.DecideOptions>>();
check<Equal<keyof AccessDecision, keyof Lib.AccessDecision>>();
// The engines' own AccessDecision is the description's.
check<Equal<Desc.AccessDecision, Lib.AccessDecision>>();
// The quote types are the engine's, and the library's QuoteRequest.
check<Equal<Quote, Engine.Quote>>();
check<Equal<QuoteLine, Engine.QuoteLine>>();
check<Equal<QuoteTaxLine, Engine.QuoteTaxLine>>();
check<Equal<QuoteError, Engine.QuoteError>>();
check<Equal<QuoteErrorCode, Engine.QuoteErrorCode>>();
check<Equal<QuoteRequest, Api.QuoteRequest>>();
check<Equal<ReturnType<typeof quote>, ReturnType<Api.Decider['quote']>>>();
${widen ? '' : '/*'}
// A compiled module's types are the library's, narrowed: each is assignable to the library's.
export function widen(r: AccessRequest, c: UserContext, a: AssetData, o: DecideOptions, d: AccessDecision, m: AssetMetadata, p: PolicyParams): [Lib.AccessRequest, Lib.UserContext, Lib.AssetData, Lib.DecideOptions, Lib.AccessDecision, NonNullable<Lib.AssetData['metadata']>, NonNullable<Lib.DecideOptions['params']>] {
  return [r, c, a, o, d, m, p];
}
${widen ? '' : '*/'}

const request: AccessRequest = ${minimalRequest(ir)};
const decision = decide(request, {});
export const id: PolicyRuleId | 'default_deny' | 'invalid_request' = decision.policyId;
export const ids: readonly PolicyRuleId[] = policyInfo.ruleIds;
const q = quote(['a'], { context: { country: 'DE', vatId: 'DE123' } });
if ('error' in q) {
  export_code(q.error, q.message, q.assetId);
} else {
  const total: number = q.totalMinor;
  const lines: readonly { readonly amountMinor: number; readonly bundleId?: string }[] = q.lines;
  const reverse: true | undefined = q.tax[0]?.reverseCharge;
  export_code(q.currency, String(total + lines.length), reverse === true ? 'r' : q.vatRatesAsOf);
  // @ts-expect-error -- a priced quote has no error
  export_code(q.error, '', undefined);
}
function export_code(code: string, message: string, assetId: string | undefined): void { void [code, message, assetId]; }
// A request for decide will do as the buyer.
quote(['a', 'b'], request);
// @ts-expect-error -- the asset ids are a list
quote('a');
// @ts-expect-error -- the country is a string
quote(['a'], { context: { country: 49 } });
// @ts-expect-error -- not an action of this policy
decide({ ...request, action: 'not an action of the policy' });
// @ts-expect-error -- policyId is narrowed to the policy's rule ids
export const wrong: 'no_such_rule' = decision.policyId;
// @ts-expect-error -- the user context is required
decide({ assetId: 'a', action: request.action });
// @ts-expect-error -- a request has no key the policy does not know
decide({ ...request, notAField: 1 });
// Empty params and metadata are fine, whatever the policy's names.
decide({ ...request, params: {}, asset: { metadata: {} } }, { params: {} });
`;
}

/** Correct uses of the TYPED policy's module, and mistakes each marked as an expected error. */
const TYPED_USAGE = `import { decide, type AccessRequest, type AssetType, type Tier, type UserContext } from './typed.js';

const context: UserContext = { userId: 'u', tier: 'platinum', tokenBalance: 1, entitlements: [], country: 'DE', segment: 'student', seats: 3 };
const request: AccessRequest = {
  assetId: 'a',
  action: 'read',
  context: { ...context, nickName: 'n' },
  asset: { type: 'dataset', licence: 'cc-by', metadata: { compute_cost: 2, 'gpu hours': 1 } },
  channel: 'api',
  dryRun: true,
  flags: ['x'],
  weights: [1, 2],
  params: { surge: 2, label: 'x', strict: true },
};
decide(request, { params: { surge: 3 } });
// A policy may extend, narrow and relax the built-in fields.
export const tiers: Tier[] = ['free', 'pro', 'enterprise', 'platinum'];
export const types: AssetType[] = ['model', 'dataset'];
decide({ ...request, context: { userId: 'u', tier: 'pro', entitlements: [], country: 'FR', segment: 'startup', seats: 1 } });

// @ts-expect-error -- 'code' is a built-in asset type this policy does not have
decide({ ...request, asset: { type: 'code' } });
// @ts-expect-error -- a required declared field is missing
decide({ ...request, context: { userId: 'u', tier: 'pro', entitlements: [], country: 'FR', seats: 1 } });
// @ts-expect-error -- the policy makes the built-in user.country required
decide({ ...request, context: { userId: 'u', tier: 'pro', entitlements: [], segment: 'startup', seats: 1 } });
// @ts-expect-error -- declared fields are read under their camelCase key
decide({ ...request, dry_run: true });
// @ts-expect-error -- request.channel is an enum of this policy
decide({ ...request, channel: 'mail' });
// @ts-expect-error -- request.flags is a list of strings
decide({ ...request, flags: [1] });
// @ts-expect-error -- asset.metadata.compute_cost is a number
decide({ ...request, asset: { metadata: { compute_cost: '2' } } });
// @ts-expect-error -- the policy has no such metadata
decide({ ...request, asset: { metadata: { computeCost: 2 } } });
// @ts-expect-error -- a param override has the type of its default
decide(request, { params: { surge: '2' } });
// @ts-expect-error -- the policy has no such param
decide(request, { params: { surg: 2 } });
`;

/** Mistakes tsc must reject, one per line, with the error each gives (file line → TS code). */
const TYPED_MISTAKES: readonly [string, string][] = [
  ["decide({ ...request, context: { ...request.context, tier: 'enterpise' } });", 'TS2820'],
  ["decide({ ...request, context: { ...request.context, seats: '3' } });", 'TS2322'],
  ["decide({ ...request, context: { ...request.context, segmnt: 'student' } });", 'TS2561'],
];

let dir: string;
let tscOutput: string;
let dts: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'monetize-dts-'));
  const examples = readdirSync(join(ROOT, 'examples'))
    .filter((f) => /^(monetization|marketplace)-policy\.yaml$/.test(f))
    .map((f) => ({ name: f.replace(/\.yaml$/, ''), text: readFileSync(join(ROOT, 'examples', f), 'utf8') }));
  expect(examples).toHaveLength(2);
  const policies = [...examples, { name: 'typed', text: TYPED }, { name: 'hostile', text: hostilePolicy((s) => s) }];
  const lib = relative(dir, join(ROOT, 'dist', 'src', 'api', 'types.js')).split('\\').join('/');
  dts = {};
  for (const { name, text } of policies) {
    const ir = irOf(text, `${name}.yaml`);
    const out = await compileIr(ir);
    dts[name] = out.dts;
    writeFileSync(join(dir, `${name}.js`), out.code);
    writeFileSync(join(dir, `${name}.d.ts`), out.dts);
    // The typed policy makes user.token_balance optional, which the library's UserContext requires;
    // the hostile one has a param named toString.
    writeFileSync(join(dir, `use-${name}.ts`), usage(name, ir, lib.startsWith('.') ? lib : `./${lib}`, name !== 'typed' && name !== 'hostile'));
  }
  writeFileSync(join(dir, 'use-typed-fields.ts'), TYPED_USAGE);
  const mistakes = TYPED_USAGE.split('\n// @ts-expect-error')[0]!;
  writeFileSync(join(dir, 'mistakes.ts'), [mistakes, ...TYPED_MISTAKES.map(([line]) => line)].join('\n') + '\n');
  const decisionShape = PUBLIC_SHAPES.filter((s) => s.name === 'AccessDecision');
  expect(decisionShape).toHaveLength(1);
  writeFileSync(join(dir, 'description.ts'), interfaceDeclarations([], decisionShape).join('\n') + '\n');
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [], strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false },
      include: ['*.ts'],
    }),
  );
  try {
    tscOutput = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    tscOutput = String((e as { stdout?: string }).stdout ?? e);
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tsc's error lines about one file, as `line: TScode`. */
function errorsIn(file: string): string[] {
  return tscOutput
    .split('\n')
    .filter((l) => l.startsWith(`${file}(`))
    .map((l) => /^[^(]+\((\d+),\d+\): error (TS\d+)/.exec(l)!)
    .map((m) => `${m[1]}: ${m[2]}`);
}

describe('compiled .d.ts', () => {
  it('type-checks with tsc for every policy, with its module agreeing with the library types', () => {
    const other = tscOutput.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('mistakes.ts('));
    expect(other.join('\n')).toBe('');
  });

  it('rejects a misspelt tier, a wrongly typed declared field and a misspelt declared key', () => {
    const first = readFileSync(join(dir, 'mistakes.ts'), 'utf8').split('\n').length - TYPED_MISTAKES.length;
    expect(errorsIn('mistakes.ts')).toEqual(TYPED_MISTAKES.map(([, code], i) => `${first + i}: ${code}`));
  });

  it('types declared fields and params from the policy, under their request keys', () => {
    const d = dts.typed!;
    expect(d).toContain('export type Tier = "free" | "pro" | "enterprise" | "platinum";');
    expect(d).toContain('export type AssetType = "model" | "dataset";');
    expect(d).toContain('  readonly tokenBalance?: number;');
    expect(d).toContain('  readonly country: string;');
    for (const line of ['"segment": "student" | "startup";', '"seats": number;', '"nickName"?: string;', '"licence"?: string;', '"compute_cost"?: number;', '"gpu hours"?: number;', '"channel": "web" | "api";', '"dryRun"?: boolean;', '"flags": readonly string[];', '"weights": readonly number[];', '"surge"?: number;', '"label"?: string;', '"strict"?: boolean;']) {
      expect(d).toContain(`  readonly ${line}`);
    }
  });

  it('declares quote and its result types itself, importing nothing', () => {
    const d = dts['monetization-policy']!;
    expect(d).toContain('export declare function quote(assetIds: readonly string[], request?: QuoteRequest): Quote | QuoteError;');
    for (const name of ['QuoteRequest', 'QuoteLine', 'QuoteTaxLine', 'Quote', 'QuoteError']) expect(d).toContain(`export interface ${name} {`);
    expect(d).toContain('export type QuoteErrorCode = "invalid_assets" | "too_many_assets" | "duplicate_asset" | "unknown_asset" | "no_price" | "invalid_request" | "unknown_country" | "too_complex" | "amount_too_large";');
    expect(d).not.toMatch(/^\s*import\b/m);
  });

  it('carries hostile policy text only in string literals: the same skeleton as a benign twin', () => {
    const names = new Map<string, string>();
    const benign = hostilePolicy((s) => {
      if (!names.has(s)) names.set(s, `plain${names.size}`);
      return names.get(s)!;
    });
    const twin = emitDts(irOf(benign, 'benign.yaml'), '// banner');
    const hostile = scanJs(dts.hostile!);
    expect(hostile.skeleton).toBe(scanJs(twin).skeleton);
    for (const s of HOSTILE_STRINGS) expect(hostile.strings).toContain(s);
    expect(hostile.identifiers).not.toContain('pwned');
    expect(dts.hostile).not.toMatch(/[\u2028\u2029]|<\/script/i);
  });
});

describe(API_TYPES_PATH, () => {
  it('is the output of scripts/gen-api-types.ts (regenerate: npm run build && node dist/scripts/gen-api-types.js)', () => {
    expect(readFileSync(join(ROOT, API_TYPES_PATH), 'utf8') === apiTypesSource()).toBe(true);
  });
});
