/** Exit codes and the error type for usage mistakes. */

export const EXIT = {
  /** Success. */
  ok: 0,
  /** The policy, a test, or a gate failed. */
  failed: 1,
  /** Usage error or unreadable input. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the command was called or an input that cannot be read: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
