import { storable } from './storable';

describe('text made storable for PostgreSQL', () => {
  it('drops NUL characters and replaces unpaired surrogates, keeping pairs and ordinary text', () => {
    const input = { notes: 'a\u0000b', keys: ['\ud800x', 'y\udc00', '😀 订单'], nested: { n: 1, ok: null } };
    expect(storable(input)).toEqual({
      notes: 'ab',
      keys: ['\ufffdx', 'y\ufffd', '😀 订单'],
      nested: { n: 1, ok: null },
    });
  });
});
