import { normaliseKafkaHeaders } from './kafka-headers.util';

describe('normaliseKafkaHeaders', () => {
  it('turns Buffers, strings and single-value arrays into strings under lower-case names', () => {
    const result = normaliseKafkaHeaders({
      ce_id: Buffer.from('a'),
      CE_Type: 'b',
      ce_source: [Buffer.from('c')],
      ce_subject: ['d', Buffer.from('d')],
      absent: undefined,
      empty: [],
    });
    expect(result).toEqual({
      ok: true,
      headers: { ce_id: 'a', ce_type: 'b', ce_source: 'c', ce_subject: 'd' },
    });
  });

  it('keeps names that are also Object.prototype members as plain headers', () => {
    const result = normaliseKafkaHeaders({ constructor: 'x', valueof: 'y' });
    expect(result.ok && result.headers).toEqual({ constructor: 'x', valueof: 'y' });
  });

  it('reports conflicting values, also across names that differ only in case', () => {
    expect(normaliseKafkaHeaders({ ce_type: ['a', 'b'] })).toMatchObject({ ok: false, header: 'ce_type' });
    expect(normaliseKafkaHeaders({ ce_type: 'a', CE_TYPE: 'b' })).toMatchObject({
      ok: false,
      header: 'ce_type',
    });
  });

  it('reports bytes that are not UTF-8', () => {
    expect(normaliseKafkaHeaders({ ce_id: Buffer.from([0xc3, 0x28]) })).toEqual({
      ok: false,
      header: 'ce_id',
      detail: 'header ce_id is not valid UTF-8',
    });
  });
});
