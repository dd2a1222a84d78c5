/** The subset of JSON Schema draft-07 the policy schema is written in, and annotation helpers. */

/** A JSON type name as JSON Schema spells it. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** A draft-07 schema object, limited to the keywords the policy schema uses. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $comment?: string;
  title?: string;
  description?: string;
  /** VS Code / yaml-language-server extension: hover text rendered as Markdown. */
  markdownDescription?: string;
  type?: JsonType | readonly JsonType[];
  minProperties?: number;
  enum?: readonly unknown[];
  const?: unknown;
  default?: unknown;
  examples?: readonly unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  minItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  required?: readonly string[];
  anyOf?: readonly JsonSchema[];
}

/**
 * Hover text for a schema node: `markdownDescription` as written, `description` with the Markdown
 * code ticks removed for editors that show plain text.
 */
export function doc(markdown: string): { description: string; markdownDescription: string } {
  return { description: markdown.replace(/`/g, ''), markdownDescription: markdown };
}


/**
 * Keywords that only editors read. Strict validators (ajv's default) reject unknown keywords, so
 * they must register these (`ajv.addKeyword('markdownDescription')`) or use the strict variant.
 */
export const EDITOR_KEYWORDS = ['markdownDescription'] as const;

/** A copy of `schema` without the editor-only keywords, for validators in strict mode. */
export function withoutEditorKeywords(schema: JsonSchema): JsonSchema {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(v)) if (!(EDITOR_KEYWORDS as readonly string[]).includes(k)) out[k] = strip(sub);
    return out;
  };
  return strip(schema) as JsonSchema;
}
