import { decodeData, formatForHumans, formatJsonLine, parseTailStart, type TailedRecord } from '../../client';

const record = (data: Buffer): TailedRecord => ({
  shardId: 'shardId-000000000001',
  sequenceNumber: '4960',
  partitionKey: 'u-1',
  approximateArrivalTimestamp: 1795000000.123,
  data,
});

describe('decodeData', () => {
  it('reads JSON objects, arrays and strings as JSON', () => {
    expect(decodeData(Buffer.from('{"a":1}'))).toEqual({ encoding: 'json', value: { a: 1 } });
    expect(decodeData(Buffer.from('[1,"x"]'))).toEqual({ encoding: 'json', value: [1, 'x'] });
  });

  it('reads other UTF-8 as text, and anything else as hex', () => {
    expect(decodeData(Buffer.from('page_view /pricing'))).toEqual({ encoding: 'text', value: 'page_view /pricing' });
    expect(decodeData(Buffer.from('{not json'))).toEqual({ encoding: 'text', value: '{not json' });
    expect(decodeData(Buffer.from([0xff, 0x00, 0xc3]))).toEqual({ encoding: 'hex', value: 'ff00c3' });
  });
});

describe('tail output', () => {
  it('prints a header with time, shard, sequence number and key, then pretty JSON', () => {
    expect(formatForHumans(record(Buffer.from('{"a":1}')))).toBe(
      '2026-11-18T11:06:40.123Z  shardId-000000000001  4960  key="u-1"\n{\n  "a": 1\n}\n',
    );
    expect(formatForHumans(record(Buffer.from([0xfe])))).toContain('\nhex fe\n');
  });

  it('prints numbers with the digits stored, as the API stores them', () => {
    const stored = '{"id":9007199254740993,"big":12345678901234567890,"p":0.1,"z":-0,"huge":1e400}';
    expect(formatForHumans(record(Buffer.from(stored)))).toContain(
      '{\n  "id": 9007199254740993,\n  "big": 12345678901234567890,\n  "p": 0.1,\n  "z": -0,\n  "huge": 1e400\n}\n',
    );
    expect(formatJsonLine(record(Buffer.from(stored)))).toContain(`"data":${stored}`);
  });

  it('prints one JSON object per line with --json', () => {
    const line = formatJsonLine(record(Buffer.from('hello')));
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      shardId: 'shardId-000000000001',
      sequenceNumber: '4960',
      partitionKey: 'u-1',
      arrivedAt: '2026-11-18T11:06:40.123Z',
      encoding: 'text',
      data: 'hello',
    });
  });
});

describe('parseTailStart', () => {
  it('takes trim-horizon, latest or an ISO time, and names the forms otherwise', () => {
    expect(parseTailStart('trim-horizon')).toEqual({ type: 'TRIM_HORIZON' });
    expect(parseTailStart('latest')).toEqual({ type: 'LATEST' });
    expect(parseTailStart('2026-01-31T12:00:00Z')).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: new Date('2026-01-31T12:00:00Z'),
    });
    expect(() => parseTailStart('yesterday')).toThrow(/trim-horizon, latest, or an ISO 8601 time/);
  });
});
