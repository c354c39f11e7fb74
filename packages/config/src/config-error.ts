/**
 * A weir.yaml (or WEIR__* override) that cannot run. The message is one
 * sentence per problem, each naming the field and the fix, one per line, so
 * a service can print it and exit: nothing else is needed to fix the file.
 */
export class ConfigError extends Error {
  /** The problems, one sentence each (the message joins them with newlines). */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}
