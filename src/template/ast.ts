// The Jinja2 syntax tree produced by parser.ts and walked by the evaluator.

export type Expr =
  | { kind: 'const'; value: unknown }
  | { kind: 'name'; name: string }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'dict'; pairs: [Expr, Expr][] }
  | { kind: 'getattr'; obj: Expr; attr: string }
  | { kind: 'getitem'; obj: Expr; key: Expr }
  | { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr }
  | { kind: 'call'; fn: Expr; args: Expr[]; kwargs: [string, Expr][]; dynArgs?: Expr; dynKwargs?: Expr }
  | { kind: 'filter'; name: string; value: Expr | undefined; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'test'; name: string; value: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'binop'; op: string; left: Expr; right: Expr }
  | { kind: 'unary'; op: 'not' | '-' | '+'; operand: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; first: Expr; ops: [string, Expr][] }
  | { kind: 'cond'; test: Expr; then: Expr; else?: Expr }
  | { kind: 'concat'; items: Expr[] };

/** Assignment targets: a name, a tuple of targets, or namespace attribute (ns.x). */
export type Target =
  | { kind: 'name'; name: string }
  | { kind: 'tuple'; items: Target[] }
  | { kind: 'nsattr'; name: string; attr: string };

export interface MacroDef {
  name: string;
  params: [string, Expr | undefined][];
  body: Stmt[];
}

export type Stmt = { line: number } & (
  | { kind: 'data'; text: string }
  | { kind: 'output'; expr: Expr }
  | { kind: 'if'; branches: [Expr, Stmt[]][]; else?: Stmt[] }
  | { kind: 'for'; target: Target; iter: Expr; filter?: Expr; body: Stmt[]; else?: Stmt[]; recursive: boolean }
  | { kind: 'set'; target: Target; expr: Expr }
  | { kind: 'setblock'; target: Target; body: Stmt[]; filters: Expr[] }
  | { kind: 'macro'; macro: MacroDef }
  | { kind: 'callblock'; call: Expr; macro: MacroDef }
  | { kind: 'filterblock'; filter: Expr; body: Stmt[] }
  | { kind: 'with'; assigns: [Target, Expr][]; body: Stmt[] }
  | { kind: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean }
  | { kind: 'import'; template: Expr; target: string; withContext: boolean }
  | { kind: 'fromimport'; template: Expr; names: [string, string][]; withContext: boolean }
  | { kind: 'block'; name: string; body: Stmt[] }
  | { kind: 'extends'; template: Expr }
  | { kind: 'do'; expr: Expr }
  | { kind: 'break' }
  | { kind: 'continue' }
);

/** A filter placeholder inside `{% filter %}` / `{% set x | f %}`: value is filled at run time. */
export const FILTER_INPUT: Expr = { kind: 'name', name: '\u0000filter-input' };
