/**
 * The result of a non-streamed exec (DDCLIENT-SEMANTICS 2.2): the data fields
 * of Node's exec result plus three parsing helpers. Also the rejection value of
 * a non-zero exit, which gets the helpers too.
 */
import type { ExecResult as WireExecResult } from '../protocol.js';

/**
 * `ExecResultV0` of `@docker/extension-api-client-types` 0.4.2 (identical to its
 * V1 `ExecResult`); an object of this type is assignable to both.
 *
 * `cmd` and `killed` are always present. `signal` and `code` are typed as the
 * SDK types them, but at runtime they are `null` when there is none, as Docker
 * Desktop sends them (`{killed:false, code:125, signal:null, …}`,
 * extensions-sdk issue 212): `code` is null when the process was killed by
 * `signal`.
 */
export interface ExecResultV0 {
  readonly cmd: string;
  readonly killed: boolean;
  readonly signal?: string;
  readonly code?: number;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * `stdout` split on `\r?\n`. A trailing newline gives a final `''`, and an
   * empty stdout gives `['']`: a plain split, as Rancher Desktop's
   * re-implementation does (Podman Desktop's also keeps the final `''`).
   */
  lines(): string[];
  /**
   * Each non-blank line of `stdout`, `JSON.parse`d.
   * @throws SyntaxError naming the line (1-based) and quoting its start.
   */
  parseJsonLines(): any[];
  /**
   * `JSON.parse(stdout)`.
   * @throws SyntaxError quoting the start of stdout.
   */
  parseJsonObject(): any;
}

// A class keeps the helpers on the prototype: JSON.stringify, spreading,
// structuredClone and the console see only the six data fields, as with a
// plain Node exec result.
class ExecResult {
  declare readonly cmd: string;
  declare readonly stdout: string;
  constructor(r: WireExecResult) {
    // Field order as Docker Desktop shows it (issue 212); nothing else from the wire.
    Object.assign(this, {
      cmd: r.cmd,
      killed: r.killed,
      signal: r.signal,
      code: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
    });
  }
  lines(): string[] {
    return this.stdout.split(/\r?\n/);
  }
  parseJsonLines(): unknown[] {
    return this.lines().flatMap((line, i) => (line.trim() ? [parse(this, line, `parseJsonLines(): line ${i + 1} of`)] : []));
  }
  parseJsonObject(): unknown {
    return parse(this, this.stdout, 'parseJsonObject():');
  }
}

function parse(r: ExecResult, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const excerpt = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new SyntaxError(
      `${what} the output of ${JSON.stringify(r.cmd)} is not JSON: ${JSON.stringify(excerpt)} (${(cause as Error).message})`,
      { cause },
    );
  }
}

/**
 * Builds the {@link ExecResultV0} a non-streamed exec resolves (exit code 0) or
 * rejects (any other exit) with, from the gateway's `POST exec` answer.
 */
export function toExecResult(r: WireExecResult): ExecResultV0 {
  // The cast only hides `null` in `signal`/`code`, which the SDK types cannot express.
  return new ExecResult(r) as unknown as ExecResultV0;
}
