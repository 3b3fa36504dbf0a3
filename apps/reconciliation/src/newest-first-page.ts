/** `column = value` (the value cast as `cast` when given); a filter whose value is undefined is left out. */
export type PageFilter = readonly [column: string, value: unknown, cast?: string];

/** A keyset page of a table, newest first by a column and then by id (a uuid). */
export interface NewestFirstPage {
  readonly table: string;
  readonly columns: string;
  readonly filters: readonly PageFilter[];
  /** The column pages are ordered by, and the cast of a cursor's value for it. */
  readonly orderBy: { readonly column: string; readonly cast: string };
  /** The last row of the page before: its value of the order column, and its id. */
  readonly after: { readonly value: unknown; readonly id: string } | null;
  readonly limit: number;
}

/** The statement and parameters of a page: the filters, `(order column, id) < after`, at most `limit` rows. */
export function newestFirstPageSql(page: NewestFirstPage): {
  readonly text: string;
  readonly parameters: unknown[];
} {
  const parameters: unknown[] = [];
  const placeholder = (value: unknown, cast?: string): string => {
    parameters.push(value);
    return `$${parameters.length}${cast === undefined ? '' : `::${cast}`}`;
  };
  const conditions = page.filters
    .filter(([, value]) => value !== undefined)
    .map(([column, value, cast]) => `${column} = ${placeholder(value, cast)}`);
  const { column, cast } = page.orderBy;
  if (page.after !== null) {
    conditions.push(
      `(${column}, id) < (${placeholder(page.after.value, cast)}, ${placeholder(page.after.id, 'uuid')})`,
    );
  }
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return {
    text: `SELECT ${page.columns} FROM ${page.table}${where} ORDER BY ${column} DESC, id DESC LIMIT ${placeholder(page.limit)}`,
    parameters,
  };
}
