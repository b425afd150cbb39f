/**
 * docxtemplater's angular-expressions parser (`{a.b | filter:"x"}`), imported once: the
 * package is CommonJS, and its typings describe an ES default export.
 */
import expressionsModule from 'docxtemplater/expressions.js';

type ExpressionParser = (typeof import('docxtemplater/expressions.js'))['default'];

export const expressionParser: ExpressionParser = ((expressionsModule as unknown as { default?: ExpressionParser }).default ?? expressionsModule) as ExpressionParser;
