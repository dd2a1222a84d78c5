/**
 * IR → the JavaScript of a decision module. The body is the same whether it is bundled into a
 * file by esbuild or instantiated in-process by `createDecider`; only the wrapper differs.
 */
import type { IrField, IrPolicy } from '../ir/ir.js';
import { Block, Code, js, joinCode, Scope, type Name } from './code.js';
import { Consts, invalidTest, RuleEmitter, type RuleEnv } from './emit-rules.js';
import { chooseIndex, type RuleIndex } from './index-rules.js';
import { sealIr } from '../ir/seal.js';
import { listMasks } from './list-masks.js';

/** The runtime helpers a module body may use (names of exports of src/runtime/runtime.ts). */
export const RUNTIME_IMPORTS = ['hasOwn', 'isRecord', 'roundTo', 'hourOf', 'minuteOf', 'weekdayOf', 'listOf', 'listMask', 'listHas', 'REQUEST_NOT_OBJECT', 'invalidRequest', 'unreadableRequest', 'defaultDeny', 'requestErrors', 'createQuoter'] as const;

export interface EmitOptions {
  /** Written into policyInfo and the banner, e.g. `monetize 0.1.0`. */
  readonly generator: string;
  /** Rule count above which rules are indexed by an enum field. */
  readonly indexThreshold?: number;
}

/** The module body: declarations of `decide`, `quote` and `policyInfo`, without imports or exports. */
export function emitModuleBody(policy: IrPolicy, opts: EmitOptions): string {
  // Own keys only, whatever Object.prototype holds while we generate (a no-op on lowered IR).
  const ir = sealIr(policy);
  const scope = new Scope();
  const consts = new Consts(scope);
  const top = new Block();
  const usesAsset = ir.fields.some((f) => f.source.from === 'asset' || f.source.from === 'metadata');
  const usesMeta = ir.fields.some((f) => f.source.from === 'metadata');
  const usesParams = ir.fields.some((f) => f.source.from === 'param');

  top.add(
    js`const policyInfo = Object.freeze({ version: ${ir.version}, currency: ${ir.currency}, ruleIds: Object.freeze(${ir.rules.map((r) => r.id)}), hash: ${ir.hash}, generator: ${opts.generator} });`,
  );
  // The price table goes through JSON.parse too: amounts, ids and codes are data, never code.
  top.add(js`const quoter = createQuoter(JSON.parse(${JSON.stringify(ir.quote)}));`);
  if (usesAsset && ir.assets.length > 0) {
    // Registry entries go through JSON.parse, which defines keys such as "__proto__" as own data.
    const entries = ir.assets.map((a) => [a.id, { f: a.fields, m: a.metadata }]);
    top.add(js`const ASSETS = new Map(JSON.parse(${JSON.stringify(entries)}));`);
  }

  // Field slots: raw values read once per call, validated where they are used. A list is read
  // whole as it is read — into a copy, or a mask of the literals the policy tests — and rules use
  // that, never the caller's array.
  const index = chooseIndex(ir, opts.indexThreshold ?? 48);
  const masks = listMasks(ir);
  const fieldNames = ir.fields.map((f) => scope.name('field'));
  const slots = index ? scope.name('slots') : undefined;
  const fieldRef = (i: number): Code => (slots ? js`${slots}[${i}]` : fieldNames[i]!);
  const env: RuleEnv = { scope, consts, fields: ir.fields, fieldRef, rounding: ir.rounding, prevalidated: index !== undefined, masks };

  const fn = new Block('  ');
  fn.add(js`if (!isRecord(request)) return invalidRequest([REQUEST_NOT_OBJECT]);`);
  fn.add(js`const assetId = hasOwn(request, "assetId") ? request.assetId : undefined;`);
  fn.add(js`const action = hasOwn(request, "action") ? request.action : undefined;`);
  fn.add(js`const ctx = hasOwn(request, "context") ? request.context : undefined;`);
  fn.add(js`const timestamp = hasOwn(request, "timestamp") ? request.timestamp : undefined;`);
  // A cheap inline test first; the runtime's requestErrors says what is wrong only when it fails.
  const actionOk = ir.actions.length <= 6 ? joinCode(ir.actions.map((a) => js`action === ${a}`), js` || `) : js`ACTIONS.has(action)`;
  top.add(js`const ACTIONS = new Set(${[...ir.actions]});`);
  fn.add(
    js`if (typeof assetId !== "string" || assetId === "" || !(${ir.actions.length ? actionOk : js`false`}) || !isRecord(ctx) || (timestamp !== undefined && (typeof timestamp !== "number" || timestamp - timestamp !== 0))) return invalidRequest(requestErrors(assetId, action, ctx, timestamp, ACTIONS));`,
  );
  if (usesAsset) {
    if (ir.assets.length > 0) fn.add(js`const reg = ASSETS.get(assetId);`);
    fn.add(js`const inlineRaw = hasOwn(request, "asset") ? request.asset : undefined;`);
    fn.add(js`const inline = isRecord(inlineRaw) ? inlineRaw : undefined;`);
  }
  if (usesMeta) {
    fn.add(js`const metaRaw = inline !== undefined && hasOwn(inline, "metadata") ? inline.metadata : undefined;`);
    fn.add(js`const meta = isRecord(metaRaw) ? metaRaw : undefined;`);
  }
  if (usesParams) {
    fn.add(js`const optParams = isRecord(options) && hasOwn(options, "params") ? options.params : undefined;`);
    fn.add(js`const params0 = isRecord(optParams) ? optParams : undefined;`);
    fn.add(js`const reqParams = hasOwn(request, "params") ? request.params : undefined;`);
    fn.add(js`const params1 = isRecord(reqParams) ? reqParams : undefined;`);
  }
  ir.fields.forEach((f, i) => fn.add(js`const ${fieldNames[i]!} = ${f.kind === 'list' ? listRead(f, rawRead(f, ir, consts), env) : rawRead(f, ir, consts)};`));

  if (index) {
    // Indexed modules try many rules per call: validate each field once, up front (a list copy
    // is already valid or undefined).
    const validated = ir.fields.map((f, i) => (f.kind === 'list' && !masks.has(i) ? fieldNames[i]! : js`${invalidTest(f, fieldNames[i]!, env)} ? undefined : ${fieldNames[i]!}`));
    fn.add(js`const ${slots!} = [${joinCode(validated, js`, `)}];`);
    emitIndexed(ir, index, env, top, fn, slots!);
  } else {
    for (const rule of ir.rules) new RuleEmitter(env, scope.name('rule')).rule(rule, fn);
  }
  fn.add(js`return defaultDeny();`);

  const out = new Block();
  out.append(top);
  for (const c of consts.declarations()) out.add(c);
  out.add(js`/** Decide one access request. Never throws, never mutates the request. */
function decide(request, options) {
  try {
    return decideRequest(request, options);
  } catch (e) {
    return unreadableRequest(e);
  }
}
function decideRequest(request, options) {`);
  out.append(fn);
  out.add(js`}
/** Price a set of assets: best bundles, then tax. Never throws: a quote that cannot be given is a result with \`error\`. */
function quote(assetIds, request) {
  return quoter(assetIds, request);
}`);
  return out.code.text + '\n';
}

/** The expression reading a field's raw value from the request, own properties only. */
function rawRead(f: IrField, ir: IrPolicy, consts: Consts): Code {
  const s = f.source;
  switch (s.from) {
    case 'request':
      if (s.key === 'assetId' || s.key === 'action' || s.key === 'timestamp') return new Code(s.key);
      return js`hasOwn(request, ${s.key}) ? request[${s.key}] : undefined`;
    case 'context':
      return js`hasOwn(ctx, ${s.key}) ? ctx[${s.key}] : undefined`;
    case 'asset': {
      // A shared frozen default, not a fresh array per call.
      const fallback = f.fallback ? consts.frozenList(f.fallback) : js`undefined`;
      const registry = ir.assets.length > 0 ? js`reg !== undefined && hasOwn(reg.f, ${s.registryKey}) ? reg.f[${s.registryKey}] : ${fallback}` : fallback;
      return js`inline !== undefined && hasOwn(inline, ${s.key}) ? inline[${s.key}] : ${registry}`;
    }
    case 'metadata':
      const registry = ir.assets.length > 0 ? js`reg !== undefined && hasOwn(reg.m, ${s.key}) ? reg.m[${s.key}] : undefined` : js`undefined`;
      return js`meta !== undefined && hasOwn(meta, ${s.key}) ? meta[${s.key}] : ${registry}`;
    case 'time':
      return js`timestamp === undefined ? undefined : ${new Code(s.part === 'hour' ? 'hourOf' : s.part === 'minute' ? 'minuteOf' : 'weekdayOf')}(timestamp)`;
    case 'param': {
      const def = ir.params.find((p) => p.name === s.name);
      return js`params0 !== undefined && hasOwn(params0, ${s.name}) ? params0[${s.name}] : params1 !== undefined && hasOwn(params1, ${s.name}) ? params1[${s.name}] : ${def ? def.value : null}`;
    }
  }
}

/**
 * A list field's read, each element once as an own property: the runtime's copy (undefined when it
 * is not a list of the element type), or for a list only tested for literals, the mask of those it
 * holds (-1 when not a list of the element type).
 */
function listRead(f: IrField, raw: Code, env: RuleEnv): Code {
  const kind = f.element ?? 'string';
  const allowed = f.enumValues ? env.consts.set(f.enumValues) : undefined;
  const bits = env.masks.get(f.index);
  if (bits) return js`listMask(${raw}, ${kind}, ${allowed ?? js`undefined`}, ${env.consts.frozenList([...bits.keys()])})`;
  return allowed ? js`listOf(${raw}, ${kind}, ${allowed})` : js`listOf(${raw}, ${kind})`;
}

/** Large policies: one function per rule, dispatched through a decision tree over enum fields. */
function emitIndexed(ir: IrPolicy, index: RuleIndex, env: RuleEnv, top: Block, fn: Block, slots: Name): void {
  const ruleFns = ir.rules.map((rule) => {
    const name = env.scope.name('decideRule');
    const body = new Block('  ');
    new RuleEmitter(env, env.scope.name('rule')).rule(rule, body);
    top.add(js`function ${name}(${slots}) {`).append(body).add(js`}`);
    return name;
  });
  const bucket = (rules: readonly number[]): Name => {
    const name = env.scope.name('bucket');
    top.add(js`const ${name} = [${joinCode(rules.map((i) => ruleFns[i]!), js`, `)}];`);
    return name;
  };
  const which = env.scope.name('bucketOf');
  fn.add(js`let ${which};`);
  const dispatch = (node: RuleIndex, b: Block): void => {
    const key = env.fieldRef(node.field);
    b.add(js`${which} = ${bucket(node.fallback)};`);
    const cases = b.nested();
    for (const br of node.branches) {
      cases.add(js`case ${br.value}:`);
      const inner = cases.nested();
      if (Array.isArray(br.next)) inner.add(js`${which} = ${bucket(br.next as readonly number[])};`);
      else dispatch(br.next as RuleIndex, inner);
      inner.add(js`break;`);
      cases.append(inner);
    }
    b.add(js`switch (${key}) {`).append(cases).add(js`}`);
  };
  dispatch(index, fn);
  fn.add(js`for (let i = 0; i < ${which}.length; i++) {`);
  fn.add(js`  const decision = ${which}[i](${slots});`);
  fn.add(js`  if (decision !== undefined) return decision;`);
  fn.add(js`}`);
}

/** Wrap a body as an ES module importing the runtime (input to esbuild). */
export function asEsmSource(body: string): string {
  return `import { ${RUNTIME_IMPORTS.join(', ')} } from "monetize:runtime";\n${body}export { decide, quote, policyInfo };\n`;
}

/** Wrap a body as a function of the runtime object returning the exports (for in-process use). */
export function asFunctionSource(body: string): string {
  return `"use strict";\nconst { ${RUNTIME_IMPORTS.join(', ')} } = runtime;\n${body}return { decide, quote, policyInfo };\n`;
}
