/** Keyword aliases (`lt`, `div`, `not`…) are normalised by the parser, so the evaluator sees one spelling. */
export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';
export type UnaryOp = '-' | '!' | 'empty';

export type Node =
  | { readonly type: 'literal'; readonly value: unknown }
  | { readonly type: 'identifier'; readonly name: string }
  | { readonly type: 'member'; readonly object: Node; readonly property: Node }
  | { readonly type: 'method'; readonly object: Node; readonly name: Node; readonly args: readonly Node[] }
  | { readonly type: 'function'; readonly name: string; readonly args: readonly Node[] }
  | { readonly type: 'unary'; readonly op: UnaryOp; readonly operand: Node }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node }
  | { readonly type: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node };
