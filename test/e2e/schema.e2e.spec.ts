import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { databaseTargets } from '../support/database-targets.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const withoutComments = (sdl: string) => sdl.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();

describe('committed schema.gql', () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
  });
  afterAll(() => hub?.close());

  it('should match the schema the code builds (regenerate: UPDATE_SCHEMA=1 with this spec)', () => {
    const built = printSchema(lexicographicSortSchema(hub.app.get(GraphQLSchemaHost).schema));
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync('schema.gql', `${readFileSync('schema.gql', 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n')}\n\n${built}\n`);
    expect(withoutComments(readFileSync('schema.gql', 'utf8'))).toBe(withoutComments(built));
  });
});
