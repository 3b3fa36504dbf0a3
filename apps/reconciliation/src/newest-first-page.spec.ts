import { newestFirstPageSql } from './newest-first-page';

describe('newestFirstPageSql', () => {
  const page = {
    table: 'runs',
    columns: 'id, psp',
    orderBy: { column: 'started_at', cast: 'timestamptz' },
    limit: 20,
  };

  it('is the newest rows alone without filters or a cursor', () => {
    expect(newestFirstPageSql({ ...page, filters: [], after: null })).toEqual({
      text: 'SELECT id, psp FROM runs ORDER BY started_at DESC, id DESC LIMIT $1',
      parameters: [20],
    });
  });

  it('numbers the set filters, leaves out the unset ones, and continues after the cursor', () => {
    expect(
      newestFirstPageSql({
        ...page,
        filters: [
          ['psp', 'acme'],
          ['status', undefined],
          ['settlement_date', '2026-12-07', 'date'],
        ],
        after: { value: '2026-12-07T10:00:00Z', id: 'a0c8f0c4-0d6b-4a37-9b7e-1f3c1c2f9b10' },
      }),
    ).toEqual({
      text:
        'SELECT id, psp FROM runs WHERE psp = $1 AND settlement_date = $2::date' +
        ' AND (started_at, id) < ($3::timestamptz, $4::uuid) ORDER BY started_at DESC, id DESC LIMIT $5',
      parameters: ['acme', '2026-12-07', '2026-12-07T10:00:00Z', 'a0c8f0c4-0d6b-4a37-9b7e-1f3c1c2f9b10', 20],
    });
  });
});
