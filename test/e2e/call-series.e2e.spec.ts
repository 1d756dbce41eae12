import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allEntries, connectTagged, type TaggedClient } from '../support/call-log.js';
import { parseCsv } from '../support/csv.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, createKey, createPerson, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { everythingStdio, startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

const MINUTE = 60_000;
interface Bucket {
  start: string;
  calls: number;
  errors: number;
}
const SERIES = 'query($f: DateTime!, $t: DateTime!, $b: Int!, $x: CallLogFilterInput){ callSeries(from: $f, to: $t, bucketSeconds: $b, filter: $x){ start calls errors } }';

/** The per-minute series the status overview charts, and the "every failure" filter of the call log. */
describe.each(hubTargetRows)('call series and the failed filter on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: GraphQLClient & { userId: string };
  let upstream: RunningUpstream;
  let agent: TaggedClient;
  let aliceAgent: TaggedClient;
  /** The last hour by the minute, as the overview asks for it: from a whole minute to the end of the current one. */
  const lastHour = () => {
    const to = Math.ceil((Date.now() + 1) / MINUTE) * MINUTE;
    return { f: new Date(to - 60 * MINUTE).toISOString(), t: new Date(to).toISOString(), b: 60 };
  };
  const series = async (client: GraphQLClient, vars: Record<string, unknown>) => (await client.data<{ callSeries: Bucket[] }>(SERIES, vars)).callSeries;

  beforeAll(async () => {
    upstream = await startEverythingHttp('streamableHttp');
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'series', [server.id]);
    agent = await connectTagged(hub.url, 'series', (await createKey(admin, { name: 'series-agent' })).secret);
    alice = await createPerson(admin, hub.url, 'alice@example.com');
    const aliceServer = await registerServer(alice, { name: 'Alice', slug: 'alice-everything', transport: 'STREAMABLE_HTTP', url: upstream.url });
    await createGroup(alice, 'alice-series', [aliceServer.id]);
    aliceAgent = await connectTagged(hub.url, 'alice-series', (await createKey(alice, { name: 'alice-agent' })).secret);

    for (const message of ['one', 'two', 'three']) await agent.client.callTool({ name: 'everything__echo', arguments: { message } });
    await agent.client.callTool({ name: 'everything__get-sum', arguments: { a: 'not a number', b: 1 } }); // TOOL_ERROR
    await expect(agent.client.callTool({ name: 'everything__no-such-tool', arguments: {} })).rejects.toThrow(/Unknown tool/); // NOT_FOUND
    await aliceAgent.client.callTool({ name: 'alice-everything__echo', arguments: { message: 'alice' } });
    await expect(aliceAgent.client.callTool({ name: 'alice-everything__nope', arguments: {} })).rejects.toThrow(/Unknown tool/);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([agent, aliceAgent].map((a) => a?.client.close().catch(() => undefined)));
    await hub?.close();
    await upstream?.stop();
  });

  it('should count every visible call and error in the minute it was made, with a bucket for every minute of the hour', async () => {
    const range = lastHour();
    const buckets = await series(admin, range);
    expect(buckets).toHaveLength(60);
    expect(buckets.map((b) => Date.parse(b.start))).toEqual(Array.from({ length: 60 }, (_, i) => Date.parse(range.f) + i * MINUTE));
    const entries = await allEntries(admin, { from: range.f, to: range.t });
    expect(entries).toHaveLength(7);
    const expected = Array.from({ length: 60 }, () => ({ calls: 0, errors: 0 }));
    for (const entry of entries) {
      const index = Math.floor((Date.parse(entry.at) - Date.parse(range.f)) / MINUTE);
      expected[index].calls++;
      if (entry.outcome !== 'OK') expected[index].errors++;
    }
    expect(buckets.map(({ calls, errors }) => ({ calls, errors }))).toEqual(expected);
  });

  it("should count a member's own calls only, and apply the call log's filters", async () => {
    const range = lastHour();
    const own = await series(alice, range);
    expect(own.reduce((n, b) => n + b.calls, 0)).toBe(2);
    expect(own.reduce((n, b) => n + b.errors, 0)).toBe(1);
    const echo = await series(admin, { ...range, x: { tool: 'everything__echo' } });
    expect(echo.reduce((n, b) => n + b.calls, 0)).toBe(3);
    expect(echo.reduce((n, b) => n + b.errors, 0)).toBe(0);
    const hourly = await series(admin, { ...range, b: 3600 });
    expect(hourly).toEqual([{ start: new Date(range.f).toISOString(), calls: 7, errors: 3 }]);
  });

  it('should refuse buckets outside 60..86400 seconds, too many buckets and a range that ends before it starts', async () => {
    const range = lastHour();
    const small = await admin.request(SERIES, { ...range, b: 30 });
    expect(errorCode(small)).toBe('BAD_USER_INPUT');
    expect(small.errors?.[0].message).toMatch(/bucketSeconds: must be a whole number between 60 and 86400/);
    const many = await admin.request(SERIES, { f: new Date(Date.now() - 2 * 86_400_000).toISOString(), t: new Date().toISOString(), b: 60 });
    expect(many.errors?.[0].message).toMatch(/bucketSeconds: gives more than 1440 buckets/);
    const backwards = await admin.request(SERIES, { f: range.t, t: range.f, b: 60 });
    expect(backwards.errors?.[0].message).toMatch(/to: must be after from/);
  });

  it('should list only the failures with failed: true, only the successes with failed: false, in the API and the export', async () => {
    const all = await allEntries(admin);
    const failed = await allEntries(admin, { failed: true });
    expect(failed.map((e) => e.id)).toEqual(all.filter((e) => e.outcome !== 'OK').map((e) => e.id));
    expect(new Set(failed.map((e) => e.outcome))).toEqual(new Set(['TOOL_ERROR', 'NOT_FOUND']));
    expect((await allEntries(admin, { failed: false })).map((e) => e.id)).toEqual(all.filter((e) => e.outcome === 'OK').map((e) => e.id));
    expect((await allEntries(alice, { failed: true })).map((e) => e.name)).toEqual(['alice-everything__nope']);

    const res = await fetch(`${hub.url}/call-log/export?format=csv&failed=true`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv((await res.text()).trim());
    expect(rows.map((r) => r[header.indexOf('id')])).toEqual(failed.map((e) => e.id));
    const bad = await fetch(`${hub.url}/call-log/export?format=csv&failed=maybe`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/failed: must be true or false/);
  });
});
