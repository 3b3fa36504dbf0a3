/** A service whose `GET /metrics` ops reads for its outbox backlog and consumer lag. */
export interface PipelineTarget {
  /** The name its incidents carry (`service:<name>`). */
  readonly service: string;
  /** Its base URL, without a trailing slash. */
  readonly baseUrl: string;
}

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * OPS_PIPELINE_TARGETS (`payment=http://127.0.0.1:3001,executor=http://127.0.0.1:3002`; empty for
 * none) as targets, with one line per problem: a pair without `=`, a name that is not lowercase
 * letters, digits and dashes, a name given twice, a URL that is not http(s) or carries credentials.
 */
export function parsePipelineTargets(text: string): { targets: PipelineTarget[]; problems: string[] } {
  const targets: PipelineTarget[] = [];
  const problems: string[] = [];
  const pairs = text.trim() === '' ? [] : text.split(',').map((pair) => pair.trim());
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 0) {
      problems.push(`${JSON.stringify(pair)} is not name=url`);
      continue;
    }
    const service = pair.slice(0, equals).trim();
    const url = pair.slice(equals + 1).trim();
    if (!SERVICE_NAME.test(service))
      problems.push(`${JSON.stringify(service)}: a name is lowercase letters, digits and dashes`);
    else if (targets.some((target) => target.service === service))
      problems.push(`${JSON.stringify(service)} is named twice`);
    const urlProblem = problemOfUrl(url);
    if (urlProblem !== undefined) problems.push(`${JSON.stringify(service)}: ${urlProblem}`);
    if (problems.length === 0) targets.push({ service, baseUrl: url.replace(/\/+$/, '') });
  }
  return { targets: problems.length === 0 ? targets : [], problems };
}

function problemOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'the URL must be http(s)';
  // ops authenticates with a token of its own; a URL's credentials would end up in its logs.
  if (parsed.username !== '' || parsed.password !== '') return 'the URL must not carry credentials';
  if (parsed.search !== '' || parsed.hash !== '') return 'the URL must not have a query or fragment';
  return undefined;
}
