/**
 * The expression grammar (SPEC §3): rules only, no embedded actions; src/expr/cst-to-ast.ts turns
 * the CST into the AST. Precedence is encoded by one rule per level, lowest first.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type ISerializedGast, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens, AddOp, AndOp, Comma, CompareTok, Dot, False, Identifier, In, LBracket, LParen, Minus, MulOp,
  Name, Not, NotOp, NumberLit, OrOp, RBracket, RParen, StringLit, True,
} from './tokens.js';

/** How a token is named in an error message: "end of expression", "the number 12", "')'". */
export function describeToken(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return 'end of expression';
  const image = tok.image === '' ? undefined : tok.image.length > 24 ? `${tok.image.slice(0, 21)}...` : tok.image;
  if (image === undefined) return tok.tokenType.LABEL ?? tok.tokenType.name;
  if (tok.tokenType === StringLit) return `the string ${image}`;
  if (tok.tokenType === NumberLit) return `the number ${image}`;
  return `'${image}'`;
}

function unexpected(tok: IToken): string {
  return `unexpected ${describeToken(tok).replace(/^the /, '')}`;
}

const COMPARISON_LIST = '==, !=, <, <=, >, >=, in, not in, contains, starts_with or ends_with';

/** Messages built where Chevrotain still knows what it expected; parse.ts refines a few of them. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    // At the top level Chevrotain reports leftover input as "expected EOF"; say what is wrong instead.
    if (expected === EOF) return unexpected(actual);
    const want = expected.LABEL ?? expected.name;
    // "expected ')' after 'b'" reads as if 'b' were the problem; for closers the position says enough.
    if (expected === RParen || expected === RBracket || previous.tokenType === EOF) return `expected ${want} but found ${describeToken(actual)}`;
    return `expected ${want} after ${describeToken(previous)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return unexpected(firstRedundant);
  },
  buildNoViableAltMessage({ actual, previous, ruleName }) {
    const found = describeToken(actual[0]);
    if (ruleName === 'compareOp') return `expected a comparison operator (${COMPARISON_LIST}) but found ${found}`;
    if (previous.tokenType === EOF) return `expected an operand but found ${found}`;
    return `expected an operand after ${describeToken(previous)} but found ${found}`;
  },
  buildEarlyExitMessage({ actual, previous }) {
    return `expected an operand after ${describeToken(previous)} but found ${describeToken(actual[0])}`;
  },
};

/** The grammar. Entry rules: `expression`, `constraint` (map shorthand right-hand side), `path`. */
export class ExprParser extends CstParser {
  constructor() {
    super(allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 2,
      nodeLocationTracking: 'none',
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /** A whole expression; `or` is the loosest level. */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(OrOp, { LABEL: 'op' });
      this.SUBRULE2(this.andExpr, { LABEL: 'operand' });
    });
  });

  readonly andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(AndOp, { LABEL: 'op' });
      this.SUBRULE2(this.notExpr, { LABEL: 'operand' });
    });
  });

  /** `not` sits above comparisons so `not a == b` negates the comparison. */
  readonly notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(NotOp, { LABEL: 'not' });
          this.SUBRULE(this.notExpr, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison, { LABEL: 'comparison' }) },
    ]);
  });

  /** OPTION, not MANY: comparisons do not chain, so `a < b < c` stops before the second `<`. */
  readonly comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'operand' });
    this.OPTION(() => {
      this.SUBRULE(this.compareOp, { LABEL: 'op' });
      this.SUBRULE2(this.additive, { LABEL: 'operand' });
    });
  });

  readonly compareOp = this.RULE('compareOp', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not, { LABEL: 'not' });
          this.CONSUME(In, { LABEL: 'op' });
        },
      },
      { ALT: () => this.CONSUME(CompareTok, { LABEL: 'op' }) },
    ]);
  });

  readonly additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(AddOp, { LABEL: 'op' });
      this.SUBRULE2(this.multiplicative, { LABEL: 'operand' });
    });
  });

  readonly multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(MulOp, { LABEL: 'op' });
      this.SUBRULE2(this.unary, { LABEL: 'operand' });
    });
  });

  readonly unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus, { LABEL: 'minus' });
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.primary, { LABEL: 'primary' }) },
    ]);
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLit, { LABEL: 'number' }) },
      { ALT: () => this.CONSUME(StringLit, { LABEL: 'string' }) },
      { ALT: () => this.CONSUME(True, { LABEL: 'true' }) },
      { ALT: () => this.CONSUME(False, { LABEL: 'false' }) },
      { ALT: () => this.SUBRULE(this.list, { LABEL: 'list' }) },
      { ALT: () => this.SUBRULE(this.parenthesised, { LABEL: 'parenthesised' }) },
      { ALT: () => this.SUBRULE(this.call, { LABEL: 'call' }) },
      { ALT: () => this.SUBRULE(this.path, { LABEL: 'path' }) },
    ]);
  });

  readonly list = this.RULE('list', () => {
    this.CONSUME(LBracket, { LABEL: 'open' });
    this.OPTION(() => this.SUBRULE(this.items, { LABEL: 'items' }));
    this.CONSUME(RBracket, { LABEL: 'close' });
  });

  readonly parenthesised = this.RULE('parenthesised', () => {
    this.CONSUME(LParen, { LABEL: 'open' });
    this.SUBRULE(this.expression, { LABEL: 'inner' });
    this.CONSUME(RParen, { LABEL: 'close' });
  });

  /** A call is recognised by the `(` right after the name; LL(2) tells it from a path. */
  readonly call = this.RULE('call', () => {
    this.CONSUME(Identifier, { LABEL: 'callee' });
    this.CONSUME(LParen, { LABEL: 'open' });
    this.OPTION(() => this.SUBRULE(this.items, { LABEL: 'items' }));
    this.CONSUME(RParen, { LABEL: 'close' });
  });

  /** Comma-separated expressions of a list or call; no trailing comma. */
  readonly items = this.RULE('items', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'item' }) });
  });

  /** `root.seg["any key"]`; after `.` any `Name` (keywords included) is a segment. */
  readonly path = this.RULE('path', () => {
    this.CONSUME(Identifier, { LABEL: 'root' });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(Dot);
            this.CONSUME(Name, { LABEL: 'field' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(LBracket);
            this.CONSUME(StringLit, { LABEL: 'key' });
            this.CONSUME(RBracket, { LABEL: 'close' });
          },
        },
      ]);
    });
  });

  /** The map-condition shorthand right-hand side: `> 0`, `not in ['a']`; the path is the YAML key. */
  readonly constraint = this.RULE('constraint', () => {
    this.SUBRULE(this.compareOp, { LABEL: 'op' });
    this.SUBRULE(this.additive, { LABEL: 'right' });
  });
}

/** The one parser instance: construction analyses the grammar and is too costly to repeat per call. */
export const exprParser = new ExprParser();

/** The grammar in Chevrotain's serialized form, for railroad diagrams. */
export const serializedGrammar: ISerializedGast[] = exprParser.getSerializedGastProductions();
