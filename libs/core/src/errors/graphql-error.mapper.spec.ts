import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode, notFound } from './domain-error.js';
import { BATCH_REFUSED_MESSAGE, formatGraphQLError, type GraphQLErrorLog } from './graphql-error.mapper.js';

function recorder() {
  const client: unknown[] = [];
  const unexpected: unknown[] = [];
  const log: GraphQLErrorLog = { client: (e) => void client.push(e), unexpected: (e) => void unexpected.push(e) };
  return { client, unexpected, log };
}

describe(formatGraphQLError.name, () => {
  it('should keep a domain error message and code, and log it as a client mistake', () => {
    const { client, unexpected, log } = recorder();
    const error = new GraphQLError('x', { originalError: notFound('Server', 'abc') });
    expect(formatGraphQLError({ message: 'x' }, error, log)).toEqual({ message: 'Server abc not found', extensions: { code: 'NOT_FOUND' } });
    expect(client).toEqual([{ code: 'NOT_FOUND', message: 'Server abc not found', path: undefined }]);
    expect(unexpected).toEqual([]);
  });

  it('should say that batching is not supported when Apollo refuses a JSON array', () => {
    const { client, log } = recorder();
    const formatted = formatGraphQLError({ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }, new GraphQLError('x'), log);
    expect(formatted).toMatchObject({ message: BATCH_REFUSED_MESSAGE, extensions: { code: 'BAD_REQUEST' } });
    expect(client).toHaveLength(1);
  });

  it('should hide and log as unexpected an error that is neither a domain nor a client error', () => {
    const { client, unexpected, log } = recorder();
    const boom = new Error('db exploded');
    expect(formatGraphQLError({ message: 'db exploded' }, new GraphQLError('x', { originalError: boom }), log)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(unexpected).toEqual([boom]);
    expect(client).toEqual([]);
  });

  it('should treat an unreadable secret as a fault of the hub, not of the caller', () => {
    const { client, unexpected, log } = recorder();
    const error = new DomainError(ErrorCode.SECRET_UNREADABLE, 'cannot decrypt');
    expect(formatGraphQLError({ message: 'x' }, new GraphQLError('x', { originalError: error }), log).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(unexpected).toEqual([error]);
    expect(client).toEqual([]);
  });
});
