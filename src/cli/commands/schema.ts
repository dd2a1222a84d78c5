/** `monetize schema`: print the policy file's JSON Schema. */
import { POLICY_SCHEMA } from '../../schema/policy-schema.js';
import { EXIT } from '../exit.js';
import type { Io } from '../io.js';

/** Print the schema as 2-space JSON. */
export function schemaCommand(_args: unknown, io: Io): number {
  io.out(`${JSON.stringify(POLICY_SCHEMA, null, 2)}\n`);
  return EXIT.ok;
}
