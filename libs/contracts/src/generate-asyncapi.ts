import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AsyncApiDocument, buildAsyncApiDocument } from './asyncapi';
import { checkCompatibility, formatBreakingChanges } from './compatibility';
import { ContractError, ContractErrorCode } from './contract.error';
import { RETIRED_EVENT_TYPES } from './event-types';
import { formatJson } from './json-format.util';

export const ASYNCAPI_DOCUMENT_RELATIVE_PATH = join('docs', 'asyncapi.json');
/** How far up from this file the workspace root (the folder holding nx.json) may be. */
const WORKSPACE_SEARCH_DEPTH_MAX = 10;

export function findWorkspaceRoot(startDirectory: string = __dirname): string {
  let directory = startDirectory;
  for (let level = 0; level < WORKSPACE_SEARCH_DEPTH_MAX; level += 1) {
    if (existsSync(join(directory, 'nx.json'))) {
      return directory;
    }
    directory = dirname(directory);
  }
  throw new Error(`No nx.json within ${WORKSPACE_SEARCH_DEPTH_MAX} levels above ${startDirectory}`);
}

export function asyncApiDocumentPath(): string {
  return join(findWorkspaceRoot(), ASYNCAPI_DOCUMENT_RELATIVE_PATH);
}

export function readAsyncApiDocument(path: string): AsyncApiDocument | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  // The file is only ever written by writeAsyncApiDocument, so it has the document's shape.
  return JSON.parse(readFileSync(path, 'utf8')) as AsyncApiDocument;
}

/**
 * A regenerated document may only add to the committed one: a breaking change must be a new type
 * version, so no regeneration may paper over it.
 */
export function assertCompatibleUpdate(committed: AsyncApiDocument, next: AsyncApiDocument): void {
  const report = checkCompatibility(committed, next, { retiredTypes: RETIRED_EVENT_TYPES });
  if (!report.compatible) {
    throw new ContractError(
      ContractErrorCode.BreakingChange,
      `The event contracts break published types; publish a new type version instead:\n` +
        formatBreakingChanges(report.breakingChanges),
    );
  }
}

export function writeAsyncApiDocument(
  document: AsyncApiDocument = buildAsyncApiDocument(),
  path: string = asyncApiDocumentPath(),
): void {
  const committed = readAsyncApiDocument(path);
  if (committed !== undefined) {
    assertCompatibleUpdate(committed, document);
  }
  writeFileSync(path, formatJson(document), 'utf8');
}

if (require.main === module) {
  writeAsyncApiDocument();
}
