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

