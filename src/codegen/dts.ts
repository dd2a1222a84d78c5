/**
 * TypeScript declarations of the public request/decision types, rendered from their one
 * description in src/lang/builtins.ts: the `.d.ts` written beside a compiled module, and (through
 * scripts/gen-api-types.ts) the library's src/api/types.ts. Policy strings (rule ids, actions)
 * appear only as literals made by the `js` serializer; the description's text is ours.
 */
import type { IrPolicy } from '../ir/ir.js';
import { PUBLIC_ENUMS, PUBLIC_SHAPES, type EnumName, type MemberDesc, type ShapeDesc, type TypeDesc } from '../lang/builtins.js';
import { js, joinCode } from './code.js';

/** `library`: the types of monetize's own API; `compiled`: a module's, narrowed to its policy. */
export type Flavour = 'library' | 'compiled';

/** The enum type aliases the shapes use, in declaration order, each with its doc comment. */
export function enumDeclarations(flavour: Flavour, shapes: readonly ShapeDesc[] = PUBLIC_SHAPES): string[] {
  const used = new Set(shapes.flatMap((s) => s.members.map((m) => memberType(m, flavour))).flatMap((t) => ('enum' in t ? [t.enum] : [])));
  return (Object.keys(PUBLIC_ENUMS) as EnumName[])
    .filter((name) => used.has(name))
    .map((name) => {
      const e = PUBLIC_ENUMS[name];
      const type = flavour === 'library' ? `(typeof ${e.list})[number]` : union(e.values, 'never');
      return `${doc(e.doc)}export type ${name} = ${type};`;
    });
}

/** The interfaces of the description (except the named ones), each with its doc comments. */
export function interfaceDeclarations(flavour: Flavour, except: readonly string[] = [], shapes: readonly ShapeDesc[] = PUBLIC_SHAPES): string[] {
  return shapes
    .filter((s) => !except.includes(s.name))
    .map((s) => {
      const lines = [`${doc(s.doc)}export interface ${s.name} {`];
      for (const m of s.members) lines.push(`${doc(m.doc, '  ')}  readonly ${m.name}${m.optional ? '?' : ''}: ${typeText(memberType(m, flavour))};`);
      if (s.extensible) lines.push('  readonly [field: string]: unknown;');
      lines.push('}');
      return lines.join('\n');
    });
}

/** Type declarations for a compiled decision module. */
export function emitDts(ir: IrPolicy, banner: string): string {
  const ids = ir.rules.length ? joinCode(ir.rules.map((r) => js`${r.id}`), js`, `) : js``;
  return `${banner}
${enumDeclarations('compiled').join('\n')}
/** The actions this policy accepts. */
export type PolicyAction = ${union(ir.actions, 'string')};
/** The ids of this policy's rules. */
export type PolicyRuleId = ${union(ir.rules.map((r) => r.id), 'never')};

${interfaceDeclarations('compiled').join('\n\n')}

/** Decide one access request. Pure: never throws, never mutates the request, deducts nothing. */
export declare function decide(request: AccessRequest, options?: DecideOptions): AccessDecision;

/** Not available in this release: returns { available: false, error }. */
export declare function quote(assetIds: readonly string[], request?: AccessRequest): { readonly available: false; readonly error: string };

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

function memberType(m: MemberDesc, flavour: Flavour): TypeDesc {
  return flavour === 'compiled' && m.compiled !== undefined ? m.compiled : m.type;
}

function typeText(t: TypeDesc): string {
  if ('ts' in t) return t.ts;
  return t.open ? `${t.enum} | (string & {})` : t.enum;
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
