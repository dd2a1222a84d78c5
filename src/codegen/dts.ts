/**
 * TypeScript declarations of the public request/decision types, rendered from their one
 * description in src/lang/builtins.ts: the `.d.ts` written beside a compiled module, and (through
 * scripts/gen-api-types.ts) the library's src/api/types.ts. A compiled module's types are the
 * library's narrowed to its policy: its enums, its declared fields and its params. Policy strings
 * (rule ids, actions, enum values, field and param names) appear only as literals made by the `js`
 * serializer — string literal types and quoted property names; the description's text is ours.
 */
import type { IrPolicy, IrRequestField, IrValueType } from '../ir/ir.js';
import { COMPILED_SHAPES, PUBLIC_ENUMS, PUBLIC_SHAPES, type EnumName, type MemberDesc, type RequestPart, type ShapeDesc, type TypeDesc } from '../lang/builtins.js';
import { js, joinCode } from './code.js';

/** `library`: the types of monetize's own API; `compiled`: a module's, narrowed to its policy. */
type Flavour = 'library' | 'compiled';

/** One member as it is printed: its property name and type as TypeScript text. */
interface Member {
  readonly key: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc?: string | undefined;
}

/** The enum type aliases the library's shapes use, in declaration order, each with its doc comment. */
export function enumDeclarations(shapes: readonly ShapeDesc[] = PUBLIC_SHAPES): string[] {
  return usedEnums('library', shapes).map((name) => {
    const e = PUBLIC_ENUMS[name];
    return `${doc(e.doc)}export type ${name} = (typeof ${e.list})[number];`;
  });
}

/** The library's interfaces of the description (except the named ones), each with its doc comments. */
export function interfaceDeclarations(except: readonly string[] = [], shapes: readonly ShapeDesc[] = PUBLIC_SHAPES): string[] {
  return shapes
    .filter((s) => !except.includes(s.name))
    .map((s) => {
      const members = s.members.map((m): Member => ({ key: m.name, type: typeText(memberType(m, 'library'), true), optional: m.optional === true, doc: m.doc }));
      const lines = [`${doc(s.doc)}export interface ${s.name} {`, ...memberLines(members)];
      if (s.extensible) lines.push('  readonly [field: string]: unknown;');
      lines.push('}');
      return lines.join('\n');
    });
}

/** Type declarations for a compiled decision module. */
export function emitDts(ir: IrPolicy, banner: string): string {
  const ids = ir.rules.length ? joinCode(ir.rules.map((r) => js`${r.id}`), js`, `) : js``;
  const shapes = [...PUBLIC_SHAPES, ...COMPILED_SHAPES];
  return `${banner}
${compiledEnumDeclarations(ir, shapes).join('\n')}
/** The actions this policy accepts. */
export type PolicyAction = ${union(ir.actions, 'string')};
/** The ids of this policy's rules. */
export type PolicyRuleId = ${union(ir.rules.map((r) => r.id), 'never')};

${compiledShapeDeclarations(ir, shapes).join('\n\n')}

/** Decide one access request. Pure: never throws, never mutates the request, deducts nothing. */
export declare function decide(request: AccessRequest, options?: DecideOptions): AccessDecision;

${QUOTE_DECLARATIONS}
/** Price a set of assets for one purchase: best bundles, then tax. Never throws: a quote that cannot be given is a QuoteError. */
export declare function quote(assetIds: readonly string[], request?: QuoteRequest): Quote | QuoteError;

/** What this module was compiled from. */
export declare const policyInfo: {
  readonly version: string;
  readonly currency: string;
  readonly ruleIds: readonly [${ids.text}];
  /** sha256 of the policy source text. */
  readonly hash: string;
  readonly generator: string;
};
`;
}

/**
 * The quote types, as src/money/engine.ts defines them for the engine every module ships (the tsc
 * test of compiled `.d.ts` checks that they agree). Amounts are integer minor units.
 */
const QUOTE_DECLARATIONS = `/** Who is buying: only the country (ISO 3166-1 alpha-2) and the VAT id are read. An AccessRequest will do. */
export interface QuoteRequest {
  readonly context?: { readonly country?: string; readonly vatId?: string };
}

/** One line of a quote: a bundle, or a single asset. */
export interface QuoteLine {
  readonly bundleId?: string;
  readonly assets: readonly string[];
  readonly amountMinor: number;
  /** The line's tax code, when all of it has one code. */
  readonly taxCode?: string;
  readonly taxMinor: number;
}

/** The tax of one tax code. */
export interface QuoteTaxLine {
  readonly code: string;
  readonly rate: number;
  readonly amountMinor: number;
  readonly reverseCharge?: true;
}

/** A priced basket, in integer minor units of the currency. */
export interface Quote {
  readonly currency: string;
  readonly lines: readonly QuoteLine[];
  readonly subtotalMinor: number;
  readonly tax: readonly QuoteTaxLine[];
  readonly taxMinor: number;
  readonly totalMinor: number;
  /** Prices include tax: the total is the subtotal and the tax is the part of it that is tax. */
  readonly inclusive: boolean;
  readonly country?: string;
  readonly vatRatesAsOf: string;
}

export type QuoteErrorCode = "invalid_assets" | "too_many_assets" | "duplicate_asset" | "unknown_asset" | "no_price" | "invalid_request" | "unknown_country" | "too_complex" | "amount_too_large";

/** A quote that cannot be given: never a throw, never a guessed price. */
export interface QuoteError {
  readonly error: QuoteErrorCode;
  readonly message: string;
  readonly assetId?: string;
}
`;

/** The built-in enums the shapes name, in declaration order. */
function usedEnums(flavour: Flavour, shapes: readonly ShapeDesc[]): EnumName[] {
  const used = new Set(shapes.flatMap((s) => s.members.map((m) => memberType(m, flavour))).flatMap((t) => ('enum' in t ? [t.enum] : [])));
  return (Object.keys(PUBLIC_ENUMS) as EnumName[]).filter((name) => used.has(name));
}

/** The built-in enum aliases of a compiled module: the values of their fields in the policy. */
function compiledEnumDeclarations(ir: IrPolicy, shapes: readonly ShapeDesc[]): string[] {
  const fields = byPath(ir);
  return usedEnums('compiled', shapes).map((name) => {
    const e = PUBLIC_ENUMS[name];
    return `${doc(e.compiledDoc)}export type ${name} = ${union(fields.get(e.field)?.enumValues ?? e.values, 'never')};`;
  });
}

/**
 * The shapes of a compiled module: the description's members, narrowed and marked optional as the
 * policy says, then the fields the policy declares in that part of the request. They are closed
 * object types — a misspelt key in a request literal is an error — written as type aliases rather
 * than interfaces so that they stay assignable to the library's open interfaces.
 */
function compiledShapeDeclarations(ir: IrPolicy, shapes: readonly ShapeDesc[]): string[] {
  const fields = byPath(ir);
  const builtIn = new Set(shapes.flatMap((s) => s.members.flatMap((m) => (m.field === undefined ? [] : [m.field]))));
  return shapes.map((s) => {
    const members = s.members.map((m): Member => {
      const field = m.field === undefined ? undefined : fields.get(m.field);
      // A built-in user field is optional as the policy declares it (the request's own keys are
      // checked by every decision, and asset data may come from the registry: those stay as described).
      const optional = (s.declares === 'context' ? field?.declaredOptional : undefined) ?? m.optional === true;
      return { key: m.name, type: typeText(memberType(m, 'compiled'), false), optional, doc: m.compiledDoc ?? m.doc };
    });
    if (s.declares !== undefined) members.push(...declaredMembers(ir, s.declares, builtIn));
    const body = members.length ? `{\n${memberLines(members).join('\n')}\n}` : 'Readonly<Record<string, never>>';
    return `${doc(s.doc)}export type ${s.name} = ${body};`;
  });
}

/**
 * Members every object has in TypeScript's eyes (its `Object` interface). A request literal
 * without such a key would still offer the inherited one (`constructor: Function`), so a member of
 * that name must also accept the inherited type, or no literal could be assigned.
 */
const OBJECT_MEMBERS = new Set(['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);

/**
 * A declared member: its key quoted by the serializer, whatever the policy named it. No doc
 * comment: the shape's says where its declared members come from, and policy text (a field's
 * `description`) never goes into a comment.
 */
function declared(key: string, type: string, optional: boolean): Member {
  const quoted = js`${key}`.text;
  return { key: quoted, type: OBJECT_MEMBERS.has(key) ? `${type} | Object[${quoted}]` : type, optional };
}

/** The policy's own fields (or params) of one part of the request, under their request keys. */
function declaredMembers(ir: IrPolicy, part: RequestPart, builtIn: ReadonlySet<string>): Member[] {
  if (part === 'params') return ir.params.map((p) => declared(p.name, p.kind, true));
  // Asset data is optional field by field: the asset registry may supply what a request omits.
  const alwaysOptional = part === 'asset' || part === 'metadata';
  return ir.requestFields
    .filter((f) => f.source.from === part && !builtIn.has(f.path))
    .map((f) => declared(f.source.key, valueTypeText(f), alwaysOptional || f.optional));
}

/** The policy's request fields by path. */
function byPath(ir: IrPolicy): ReadonlyMap<string, IrRequestField> {
  return new Map(ir.requestFields.map((f) => [f.path, f]));
}

/** A declared field's type: a scalar, a union of its enum's values, or a readonly list of either. */
function valueTypeText(t: IrValueType): string {
  const scalar = t.enumValues ? union(t.enumValues, 'never') : (t.kind === 'list' ? t.element : t.kind) ?? 'string';
  if (t.kind !== 'list') return scalar;
  return t.enumValues && t.enumValues.length > 1 ? `readonly (${scalar})[]` : `readonly ${scalar}[]`;
}

function memberLines(members: readonly Member[]): string[] {
  return members.map((m) => `${doc(m.doc, '  ')}  readonly ${m.key}${m.optional ? '?' : ''}: ${m.type};`);
}

function memberType(m: MemberDesc, flavour: Flavour): TypeDesc {
  return flavour === 'compiled' && m.compiled !== undefined ? m.compiled : m.type;
}

/** A member type as text; an open enum also accepts other strings (the library's types only). */
function typeText(t: TypeDesc, open: boolean): string {
  if ('ts' in t) return t.ts;
  return open && t.open ? `${t.enum} | (string & {})` : t.enum;
}

/** String literal types joined with `|`, each serialized by `js`; `empty` when there are none. */
function union(values: readonly string[], empty: string): string {
  return values.length ? joinCode(values.map((v) => js`${v}`), js` | `).text : empty;
}

/** A `/** … *\/` line (with the indent of the declaration that follows), or nothing. */
function doc(text: string | undefined, indent = ''): string {
  if (text === undefined) return '';
  if (text.includes('*/')) throw new Error('internal: a doc comment may not contain */');
  return `${indent}/** ${text} */\n`;
}
