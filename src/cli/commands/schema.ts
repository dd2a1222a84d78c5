/** `monetize schema`: print the policy file's JSON Schema. */
import { policySchemaJson } from '../../schema/policy-schema.js';
import { EXIT } from '../exit.js';
import type { Io } from '../io.js';

/** Print the schema as 2-space JSON: the editor schema, or with `--strict` the strict variant. */
export function schemaCommand([flags]: [{ strict?: boolean }], io: Io): number {
  io.out(policySchemaJson(flags.strict === true ? 'strict' : 'editor'));
  return EXIT.ok;
}
