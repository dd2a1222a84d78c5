/** The decision shape every engine returns. */

/** The result of `decide`. */
export interface AccessDecision {
  readonly allowed: boolean;
  /** The deciding rule's id, or `default_deny` / `invalid_request`. */
  readonly policyId: string;
  readonly reason?: string;
  /** Token cost, present when the deciding rule declares one (0 included). */
  readonly cost?: number;
  readonly redirect?: string;
  /** Why the request is invalid (only with `reason: "invalid_request"`). */
  readonly errors?: readonly string[];
}
