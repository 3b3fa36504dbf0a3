import ts from 'typescript';
import {
  descendants,
  functionNamed,
  initializerOf,
  nameOf,
  parse,
  returnedExpressions,
  unwrapped,
} from './syntax';

/**
 * One change to a TypeScript (or JavaScript) file, found by its syntax rather than its lines so
 * that formatting and neighbours do not matter. It returns the new text, the same text when the
 * change is already there, or undefined when the file has no such place: then the change is left
 * to a person, and the generator says so.
 */
export type SourceEdit = (source: string) => string | undefined;

function insertAt(source: string, position: number, text: string): string {
  return `${source.slice(0, position)}${text}${source.slice(position)}`;
}

/** Adds `element` to an array literal, before the element written `before` when there is one. */
function addElement(
  source: string,
  array: ts.ArrayLiteralExpression,
  element: string,
  before?: string,
): string {
  if (array.elements.some((existing) => existing.getText() === element)) return source;
  const anchor = array.elements.find((existing) => existing.getText() === before);
  if (anchor !== undefined) return insertAt(source, anchor.getStart(), `${element}, `);
  const last = array.elements[array.elements.length - 1];
  return last === undefined
    ? insertAt(source, array.elements.pos, element)
    : insertAt(source, last.end, `, ${element}`);
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`;
}

/** Adds `key: value` after the last property named in `after` (a spread after them still wins), else last. */
function addProperty(
  source: string,
  object: ts.ObjectLiteralExpression,
  key: string,
  value: string,
  after: readonly string[] = [],
): string {
  if (object.properties.some((property) => nameOf(property) === key)) return source;
  const text = `${propertyKey(key)}: ${value}`;
  const anchors = object.properties.filter((property) => after.includes(nameOf(property) ?? ''));
  const anchor = anchors[anchors.length - 1] ?? object.properties[object.properties.length - 1];
  return anchor === undefined
    ? insertAt(source, object.properties.pos, ` ${text} `)
    : insertAt(source, anchor.end, `, ${text}`);
}

/** `const <variableName> = [ … ]` (with or without `as const`) gains `element`. */
export function addToArrayConstant(
  variableName: string,
  element: string,
  options: { before?: string } = {},
): SourceEdit {
  return (source) => {
    const array = initializerOf(parse(source), variableName);
    return array !== undefined && ts.isArrayLiteralExpression(array)
      ? addElement(source, array, element, options.before)
      : undefined;
  };
}

/** `const <variableName> = { … }` gains `key: value`. */
export function addToObjectConstant(variableName: string, key: string, value: string): SourceEdit {
  return (source) => {
    const object = initializerOf(parse(source), variableName);
    return object !== undefined && ts.isObjectLiteralExpression(object)
      ? addProperty(source, object, key, value)
      : undefined;
  };
}

/** The first expression function `functionName` returns that `isKind` accepts. */
function returnedBy<T extends ts.Expression>(
  source: string,
  functionName: string,
  isKind: (node: ts.Node) => node is T,
): T | undefined {
  const functionNode = functionNamed(parse(source), functionName);
  return functionNode === undefined ? undefined : returnedExpressions(functionNode).find(isKind);
}

/** The object literal that function `functionName` returns gains `key: value`. */
export function addToReturnedObject(functionName: string, key: string, value: string): SourceEdit {
  return (source) => {
    const object = returnedBy(source, functionName, ts.isObjectLiteralExpression);
    return object === undefined ? undefined : addProperty(source, object, key, value);
  };
}

/** The array literal that function `functionName` returns gains `element`. */
export function addToReturnedArray(functionName: string, element: string): SourceEdit {
  return (source) => {
    const array = returnedBy(source, functionName, ts.isArrayLiteralExpression);
    return array === undefined ? undefined : addElement(source, array, element);
  };
}

/** The array under property `property` (e.g. `controllers: [ … ]`) inside function `functionName` gains `element`. */
export function addToArrayProperty(functionName: string, property: string, element: string): SourceEdit {
  return (source) => {
    const functionNode = functionNamed(parse(source), functionName);
    const assignment =
      functionNode === undefined
        ? undefined
        : descendants(functionNode).find(
            (node): node is ts.PropertyAssignment =>
              ts.isPropertyAssignment(node) && nameOf(node) === property,
          );
    const array = assignment === undefined ? undefined : unwrapped(assignment.initializer);
    return array !== undefined && ts.isArrayLiteralExpression(array)
      ? addElement(source, array, element)
      : undefined;
  };
}

/**
 * Every object literal that has all of `keys` gains `key: value`: the maps and variable sets
 * written once per PSP (`{ acme: …, nova: …, swiftpay: … }`). Undefined when there is none.
 */
export function addWhereKeysAre(keys: readonly string[], key: string, value: string): SourceEdit {
  const covering = (source: string) =>
    descendants(parse(source))
      .filter(ts.isObjectLiteralExpression)
      .filter((object) =>
        keys.every((wanted) => object.properties.some((property) => nameOf(property) === wanted)),
      );
  const lacking = (source: string) =>
    covering(source).find((object) => !object.properties.some((property) => nameOf(property) === key));
  return (source) => {
    if (covering(source).length === 0) return undefined;
    // One object at a time, parsing again after each, so that no position goes stale.
    let text = source;
    for (let object = lacking(text); object !== undefined; object = lacking(text)) {
      text = addProperty(text, object, key, value, keys);
    }
    return text;
  };
}

/** The first `switch` in function `functionName` gains `clause` (whole `case …:` text) before its `default`. */
export function addSwitchCase(functionName: string, caseLabel: string, clause: string): SourceEdit {
  return (source) => {
    const functionNode = functionNamed(parse(source), functionName);
    const switchStatement =
      functionNode === undefined ? undefined : descendants(functionNode).find(ts.isSwitchStatement);
    if (switchStatement === undefined) return undefined;
    const clauses = switchStatement.caseBlock.clauses;
    if (
      clauses.some((existing) => ts.isCaseClause(existing) && existing.expression.getText() === caseLabel)
    ) {
      return source;
    }
    const defaultClause = clauses.find(ts.isDefaultClause);
    if (defaultClause === undefined)
      return insertAt(source, switchStatement.caseBlock.end - 1, `${clause}\n`);
    const start = defaultClause.getStart();
    const indentation = source.slice(source.lastIndexOf('\n', start) + 1, start);
    return insertAt(source, start, `${clause}\n${indentation}`);
  };
}

/** Interface `interfaceName` gains member `memberName` (written out whole in `member`). */
export function addInterfaceMember(interfaceName: string, memberName: string, member: string): SourceEdit {
  return (source) => {
    const declaration = descendants(parse(source)).find(
      (node): node is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(node) && nameOf(node) === interfaceName,
    );
    if (declaration === undefined) return undefined;
    if (declaration.members.some((existing) => nameOf(existing) === memberName)) return source;
    return insertAt(source, declaration.members.end, `\n${member}`);
  };
}

export interface ClassMember {
  readonly name: string;
  /** The member written out whole, with its doc comment and decorators. */
  readonly text: string;
}

/** Class `className` gains the members it lacks, after its last member whose name matches `after`. */
export function addClassMembers(
  className: string,
  members: readonly ClassMember[],
  after: RegExp,
): SourceEdit {
  return (source) => {
    const declaration = descendants(parse(source)).find(
      (node): node is ts.ClassDeclaration => ts.isClassDeclaration(node) && nameOf(node) === className,
    );
    const anchor = declaration?.members.filter((member) => after.test(nameOf(member) ?? '')).pop();
    if (declaration === undefined || anchor === undefined) return undefined;
    const missing = members.filter(
      (member) => !declaration.members.some((existing) => nameOf(existing) === member.name),
    );
    return insertAt(source, anchor.end, missing.map((member) => `\n\n${member.text}`).join(''));
  };
}

/** Adds `statement` (an import) after the last import, unless the file has it already. */
export function addImport(statement: string): SourceEdit {
  return (source) => {
    if (source.includes(statement)) return source;
    const imports = parse(source).statements.filter(ts.isImportDeclaration);
    const last = imports[imports.length - 1];
    return last === undefined ? `${statement}\n${source}` : insertAt(source, last.end, `\n${statement}`);
  };
}

/** The import from `moduleName` gains the named binding `binding` (or a new import is added). */
export function addNamedImport(moduleName: string, binding: string): SourceEdit {
  return (source) => {
    const declaration = parse(source)
      .statements.filter(ts.isImportDeclaration)
      .find(
        (statement) =>
          ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === moduleName,
      );
    const named = declaration?.importClause?.namedBindings;
    if (named === undefined || !ts.isNamedImports(named)) {
      return addImport(`import { ${binding} } from '${moduleName}';`)(source);
    }
    if (named.elements.some((element) => element.name.text === binding)) return source;
    const last = named.elements[named.elements.length - 1];
    return last === undefined ? undefined : insertAt(source, last.end, `, ${binding}`);
  };
}

/** Adds `statement` (an `export … from`) after the last export, unless the file has it already. */
export function addExport(statement: string): SourceEdit {
  return (source) => {
    if (source.includes(statement)) return source;
    const exports = parse(source).statements.filter(ts.isExportDeclaration);
    const last = exports[exports.length - 1];
    return last === undefined ? `${source}${statement}\n` : insertAt(source, last.end, `\n${statement}`);
  };
}

/** Applies `edits` in turn; undefined as soon as one finds no place for its change. */
export function inTurn(...edits: readonly SourceEdit[]): SourceEdit {
  return (source) =>
    edits.reduce<string | undefined>((text, edit) => (text === undefined ? undefined : edit(text)), source);
}
