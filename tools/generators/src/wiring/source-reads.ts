import ts from 'typescript';
import { descendants, initializerOf, parse } from './syntax';

/** The string elements of `const <variableName> = [ … ]`, e.g. the PSP ids; undefined without it. */
export function stringElementsOf(source: string, variableName: string): string[] | undefined {
  const array = initializerOf(parse(source), variableName);
  if (array === undefined || !ts.isArrayLiteralExpression(array)) return undefined;
  return array.elements.filter(ts.isStringLiteral).map((element) => element.text);
}

/** Every whole number written as a property value in `const <variableName> = { … }`. */
export function numbersOfObjectConstant(source: string, variableName: string): number[] {
  const object = initializerOf(parse(source), variableName);
  if (object === undefined || !ts.isObjectLiteralExpression(object)) return [];
  return descendants(object)
    .filter(ts.isNumericLiteral)
    .map((literal) => Number(literal.text.replace(/_/g, '')));
}

/** Every whole number a class member named by `memberPattern` is initialised with, e.g. the ports. */
export function numbersOfClassMembers(source: string, memberPattern: RegExp): number[] {
  return descendants(parse(source))
    .filter(ts.isPropertyDeclaration)
    .filter((member) => ts.isIdentifier(member.name) && memberPattern.test(member.name.text))
    .flatMap((member) =>
      member.initializer !== undefined && ts.isNumericLiteral(member.initializer)
        ? [Number(member.initializer.text.replace(/_/g, ''))]
        : [],
    );
}

/** The lowest port above the lowest of `range` that neither `range` nor `taken` holds: the next free one. */
export function nextFreePort(range: readonly number[], taken: readonly number[] = []): number | undefined {
  if (range.length === 0) return undefined;
  let port = Math.min(...range) + 1;
  while (range.includes(port) || taken.includes(port)) port += 1;
  return port;
}
