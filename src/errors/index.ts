// Error classes with stable codes, the exit code ansible-playbook would use, and
// an optional source location rendered as Ansible-style "offending line" frame.
import * as fs from 'fs';

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export type ErrorCode =
  | 'YAML_SYNTAX'
  | 'PARSE'
  | 'UNKNOWN_MODULE'
  | 'MISSING_FILE'
  | 'MISSING_ROLE'
  | 'BAD_OPTION'
  | 'BAD_PATTERN'
  | 'INVENTORY'
  | 'TEMPLATE'
  | 'UNDEFINED_VARIABLE'
  | 'MODULE_ARGS'
  | 'CONNECTION'
  /** Privilege escalation failed on a reachable host (wrong or missing password): a task failure. */
  | 'BECOME'
  | 'INTERRUPTED'
  | 'INTERNAL'
  /** the container harness: image build or lookup, driver create/destroy */
  | 'IMAGE'
  | 'DRIVER'
  /** vault: no secret, wrong secret, malformed vault text */
  | 'VAULT';

/** Exit codes of ansible-playbook. */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  HOST_FAILED: 2,
  HOST_UNREACHABLE: 4,
  PARSER_ERROR: 4,
  BAD_OPTIONS: 5,
  INTERRUPTED: 99,
  UNEXPECTED: 250,
} as const;

const exitCodeOf: Record<ErrorCode, number> = {
  YAML_SYNTAX: ExitCode.PARSER_ERROR,
  PARSE: ExitCode.PARSER_ERROR,
  UNKNOWN_MODULE: ExitCode.PARSER_ERROR,
  MISSING_FILE: ExitCode.ERROR,
  MISSING_ROLE: ExitCode.ERROR,
  BAD_OPTION: ExitCode.BAD_OPTIONS,
  BAD_PATTERN: ExitCode.ERROR,
  INVENTORY: ExitCode.ERROR,
  TEMPLATE: ExitCode.ERROR,
  UNDEFINED_VARIABLE: ExitCode.ERROR,
  MODULE_ARGS: ExitCode.ERROR,
  CONNECTION: ExitCode.HOST_UNREACHABLE,
  BECOME: ExitCode.HOST_FAILED,
  INTERRUPTED: ExitCode.INTERRUPTED,
  INTERNAL: ExitCode.UNEXPECTED,
  IMAGE: ExitCode.ERROR,
  DRIVER: ExitCode.ERROR,
  VAULT: ExitCode.ERROR,
};

export class TsibleError extends Error {
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  exitCode: number;
  constructor(code: ErrorCode, message: string, location?: SourceLocation, exitCode?: number) {
    super(message);
    this.name = 'TsibleError';
    this.code = code;
    this.location = location;
    this.exitCode = exitCode ?? exitCodeOf[code];
  }
  /** Same error with a location attached (keeps the first location if it already had one). */
  at(location: SourceLocation | undefined): TsibleError {
    if (this.location || !location) return this;
    const e = new TsibleError(this.code, this.message, location, this.exitCode);
    e.stack = this.stack;
    return e;
  }
}

/** Errors raised while rendering templates; the executor turns them into task failures. */
export class TemplateError extends TsibleError {
  constructor(message: string, location?: SourceLocation) {
    super('TEMPLATE', message, location);
    this.name = 'TemplateError';
  }
}

/** A lookup that failed on purpose (Ansible's AnsibleLookupError/AnsibleOptionsError): its message
 *  reaches the task as it is, not wrapped in "An unhandled exception occurred...". */
export class LookupError extends TemplateError {
  constructor(message: string, location?: SourceLocation) {
    super(message, location);
    this.name = 'LookupError';
  }
}

export class UndefinedVariableError extends TemplateError {
  readonly variable: string;
  constructor(variable: string, message?: string, location?: SourceLocation) {
    super(message ?? `'${variable}' is undefined`, location);
    this.name = 'UndefinedVariableError';
    this.variable = variable;
  }
}

/** "The error appears to be in ..." frame, as Ansible prints it. */
export function codeFrame(loc: SourceLocation, source?: string): string {
  let text = source;
  if (text === undefined) {
    try {
      text = fs.readFileSync(loc.file, 'utf8');
    } catch {
      text = undefined;
    }
  }
  const head = `The error appears to be in '${loc.file}': line ${loc.line}, column ${loc.column}, but may\nbe elsewhere in the file depending on the exact syntax problem.`;
  if (text === undefined) return head;
  const lines = text.split('\n');
  const target = lines[loc.line - 1] ?? '';
  const prev = loc.line >= 2 ? lines[loc.line - 2] ?? '' : '';
  const caret = ' '.repeat(Math.max(0, loc.column - 1)) + '^ here';
  // as Ansible: the line before is always shown, even when empty (and on line 1)
  const shown = `${prev.trimEnd()}\n${target.trimEnd()}\n${caret}`;
  return `${head}\n\nThe offending line appears to be:\n\n${shown}`;
}

export function formatError(err: TsibleError): string {
  return err.location ? `${err.message}\n\n${codeFrame(err.location)}` : err.message;
}
