import { RpcCode } from './json-rpc.js';
import { checkParamHeaders, headerParamsOf } from './param-headers.js';

const schema = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer', 'x-mcp-header': 'N' }, query: { type: 'string' } } };
const params = headerParamsOf(schema);
const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code: number }).code;
  }
};

describe('Mcp-Param headers (SEP-2243)', () => {
  it('should read the annotated properties only', () => {
    expect(params).toEqual([
      { path: ['region'], header: 'Region', type: 'string' },
      { path: ['n'], header: 'N', type: 'integer' },
    ]);
  });

  it('should accept literal and Base64-wrapped values that match the body', () => {
    expect(code(() => checkParamHeaders(params, { region: 'Hello', n: 3 }, { 'mcp-param-region': '=?base64?SGVsbG8=?=', 'mcp-param-n': '3' }))).toBe('ok');
    expect(code(() => checkParamHeaders(params, { region: 'SGVsbG8=' }, { 'mcp-param-region': 'SGVsbG8=' }))).toBe('ok');
    expect(code(() => checkParamHeaders(params, { query: 'x' }, {}))).toBe('ok');
  });

  it('should refuse a missing, malformed or different header with -32020', () => {
    expect(code(() => checkParamHeaders(params, { region: 'Hello' }, {}))).toBe(RpcCode.HEADER_MISMATCH);
    expect(code(() => checkParamHeaders(params, { region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }))).toBe(RpcCode.HEADER_MISMATCH);
    expect(code(() => checkParamHeaders(params, { region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVs!!!bG8=?=' }))).toBe(RpcCode.HEADER_MISMATCH);
    expect(code(() => checkParamHeaders(params, { region: 'Hello' }, { 'mcp-param-region': 'Bye' }))).toBe(RpcCode.HEADER_MISMATCH);
    expect(code(() => checkParamHeaders(params, { n: 3 }, { 'mcp-param-n': '4' }))).toBe(RpcCode.HEADER_MISMATCH);
  });
});
