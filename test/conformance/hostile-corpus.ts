/**
 * The hostile corpus: strings that try to break out of a JavaScript string literal, a comment or
 * an HTML script block, placed in every part of a policy that can reach the generated code, plus
 * the requests that make each rule decide.
 */
import { put } from './gen.js';

/** Strings that try to escape a literal, a comment, a template or a script element. */
export const HOSTILE: readonly string[] = [
  '"',
  "'",
  '\\',
  '${}',
  '`',
  '*/',
  '/*',
  '</script>',
  '<!--',
  '-->',
  '\u2028',
  '\u2029',
  '\u0000',
  '"); process.exit(1); ("',
  "'+require('child_process')+'",
  '${globalThis.pwned = 1}',
  '`; globalThis.pwned = 1; `',
  '"; globalThis.pwned = 1; "',
  "\\'; globalThis.pwned = 1; //",
  '\\u0022); globalThis.pwned = 1; //',
  '\n//',
  '\r\n',
  '</SCRIPT><script>globalThis.pwned=1</script>',
  ']]>',
  '😀\ud800',
];

/** Property names that a careless reader would resolve on the prototype chain. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** An expression string literal for any string (escapes what the lexer requires). */
export function exprString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export interface HostileCase {
  readonly name: string;
  readonly request: unknown;
  readonly options?: unknown;
  /** The rule that must decide (proves the hostile literal round-tripped exactly). */
  readonly ruleId: string;
}

/**
 * The hostile policy, with every free string passed through `m` (identity for the hostile
 * version, a renaming to plain text for its benign twin), and the cases that select each rule.
 */
export function hostilePolicy(m: (s: string) => string): { doc: Record<string, unknown>; cases: HostileCase[] } {
  const H = HOSTILE.map(m);
  const lit = (s: string): string => exprString(s);
  const rules: Record<string, unknown>[] = [];
  const cases: HostileCase[] = [];
  const req = (op: string, context: Record<string, unknown>, more: Record<string, unknown> = {}): Record<string, unknown> => ({ assetId: 'plain', action: 'read', context, op, ...more });

  H.forEach((s, i) => {
    rules.push({ id: `lit-${i}`, condition: `request.op == 'lit' and user.nick == ${lit(s)}`, action: { allow: true, reason: s, redirect: s } });
    cases.push({ name: `literal ${i}`, request: req('lit', { nick: s }), ruleId: `lit-${i}` });
  });
  rules.push({ id: 'tostring', condition: `request.op == 'list' and user.nick in [${H.map(lit).join(', ')}]`, action: { allow: true, reason: H.join('') } });
  rules.push({ id: '--',  condition: `request.op == 'short' and user.nick not in [${H.slice(0, 3).map(lit).join(', ')}]`, action: { allow: false, reason: H[7] } });
  cases.push({ name: 'long list', request: req('list', { nick: H[13] }), ruleId: 'tostring' });
  cases.push({ name: 'short list', request: req('short', { nick: H[20] }), ruleId: '--' });

  rules.push({ id: 'prototype', condition: `request.op == 'enum' and user.segment == ${lit(H[8]!)}`, action: { allow: true, reason: H[9] } });
  rules.push({ id: '.:hasownproperty:.', condition: { 'request.op': 'enum', 'user.segment': H.slice(10, 14) }, action: { allow: true } });
  cases.push({ name: 'enum value', request: req('enum', { segment: H[8] }), ruleId: 'prototype' });
  cases.push({ name: 'enum list', request: req('enum', { segment: H[12] }), ruleId: '.:hasownproperty:.' });

  const metadata: Record<string, unknown> = {};
  H.forEach((k, i) => {
    if (i % 3 !== 0) return;
    put(metadata, k, 'string');
    const path = `asset.metadata[${lit(k)}]`;
    rules.push({ id: `meta-${i}`, condition: `request.op == 'meta' and ${path} == ${lit(k)}`, action: { allow: true, reason: k } });
    const meta: Record<string, unknown> = {};
    put(meta, k, k);
    cases.push({ name: `metadata key ${i}`, request: req('meta', {}, { asset: { metadata: meta } }), ruleId: `meta-${i}` });
  });

  const assetIds = [...PROTO_NAMES, ...H.filter((s) => s !== '')];
  const assets = assetIds.map((id, i) => ({ id, type: 'model', tags: [H[i % H.length]], matrix_id: H[(i + 1) % H.length], metadata: { [H[0]!]: H[i % H.length] }, price: `${i + 1}.25`, tax_code: H[(i + 2) % H.length] }));
  // Bundles and tax codes named by hostile strings: the quote table they lower to is data too.
  const bundles = H.filter((s) => s !== '').map((id, i) => ({ id, assets: [assetIds[i % assetIds.length], assetIds[(i + 1) % assetIds.length]], price_multiplier: 0.75 }));
  const tax = { default_code: H[3], rules: [{ region: 'DE', code: H[4], rate: 'vat' }, { region: ['FR', 'EU'], code: H[5], rate: 0.2, reverse_charge: true }] };
  assetIds.forEach((id, i) => {
    rules.push({ id: `asset-${i}`, condition: `request.op == 'asset' and asset.id == ${lit(id)} and asset.type == 'model' and asset.tags contains ${lit(H[i % H.length]!)}`, action: { allow: true, cost: i } });
    cases.push({ name: `asset id ${JSON.stringify(id)}`, request: { ...req('asset', {}), assetId: id }, ruleId: `asset-${i}` });
  });

  const params: Record<string, unknown> = {};
  put(params, '__proto__', H[0]);
  put(params, 'constructor', H[1]);
  put(params, 'toString', H[13]);
  rules.push({ id: '__proto__', condition: `request.op == 'param' and params.__proto__ == ${lit(H[0]!)} and params.constructor == ${lit(H[1]!)} and params.toString == ${lit(H[13]!)}`, action: { allow: true, reason: H[14] } });
  cases.push({ name: 'params named like prototype properties', request: req('param', {}), ruleId: '__proto__' });
  const override = JSON.parse(`{"__proto__": ${JSON.stringify(H[0])}, "constructor": ${JSON.stringify(H[1])}}`) as Record<string, unknown>;
  cases.push({ name: 'params overridden with own __proto__ keys', request: req('param', {}, { params: override }), options: { params: override }, ruleId: '__proto__' });

  const userFields: Record<string, unknown> = { nick: 'string', segment: { enum: H } };
  for (const name of PROTO_NAMES) put(userFields, name, 'string');
  const assetFields: Record<string, unknown> = { metadata };
  put(assetFields, 'valueOf', 'string');
  const requestFields: Record<string, unknown> = { op: 'string' };
  put(requestFields, 'hasOwnProperty', 'string');
  rules.push({
    id: 'constructor',
    condition: "request.op == 'names' and user.constructor == 'c' and user.toString == 't' and user.__proto__ == 'p' and asset.valueOf == 'v' and request.hasOwnProperty == 'h'",
    action: { allow: true, reason: H[15] },
  });
  const ctx: Record<string, unknown> = { constructor: 'c', toString: 't' };
  put(ctx, 'Proto__', 'p');
  cases.push({ name: 'declared fields named like prototype properties', request: req('names', ctx, { asset: { valueOf: 'v' }, hasOwnProperty: 'h' }), ruleId: 'constructor' });

  const doc: Record<string, unknown> = { version: '1.0', currency: 'EUR', schema: { user: userFields, asset: assetFields, request: requestFields }, params, assets, rules, bundles, tax };
  return { doc, cases };
}

/** A policy whose rules index on an enum of hostile values (exercises `switch` case literals). */
export function indexedHostilePolicy(m: (s: string) => string): { doc: Record<string, unknown>; cases: HostileCase[] } {
  const H = [...new Set(HOSTILE.map(m))];
  const rules = H.map((s, i) => ({ id: `seg-${i}`, condition: `user.segment == ${exprString(s)}`, action: { allow: i % 2 === 0, reason: s } }));
  const cases = H.map((s, i) => ({ name: `indexed value ${i}`, request: { assetId: s || 'x', action: 'read', context: { segment: s } }, ruleId: `seg-${i}` }));
  return { doc: { version: '1.0', schema: { user: { segment: { enum: H } } }, rules }, cases };
}
