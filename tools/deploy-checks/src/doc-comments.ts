import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The doc comment of each property of class `className` in `file` (relative to `root`), as one line:
 * the reference quotes what the code says of each variable, which the runtime cannot see.
 */
export function propertyDocComments(root: string, file: string, className: string): Map<string, string> {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(root, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const comments = new Map<string, string>();
  const declaration = source.statements.find(
    (statement): statement is ts.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === className,
  );
  if (declaration === undefined) throw new Error(`class ${className} not found in ${file}`);
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const text = ts
      .getJSDocCommentsAndTags(member)
      .filter(ts.isJSDoc)
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
      .join(' ');
    if (text !== '') comments.set(member.name.text, text.replace(/\s+/g, ' ').trim());
  }
  return comments;
}
