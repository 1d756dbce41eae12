import { Anchor, Button, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useClient, useQuery, useSubscription } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { PAGE_SIZE, useAll } from '../ui/all-pages';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { Stat } from '../ui/Stat';
import { RecentFailures } from './RecentFailures';
import { ServerHealthPanel } from './ServerHealthPanel';
import type { ReplicaCheck } from './server-health';
import { TopTools } from './TopTools';

// The charting library is most of the page's weight: it loads beside the figures, not before them.
const CallsChart = lazy(() => import('./CallsChart'));

const ServersQuery = graphql(`
  query StatusServers($first: Int!, $offset: Int!) {
    servers(first: $first, offset: $offset) {
      id name slug enabled
      replicas { id enabled }
      health { replicaId status error checkedAt }
    }
  }
`);

const StatusChangedSubscription = graphql(`
  subscription StatusChanged { serverStatusChanged { serverId replicaId to error at } }
`);

const CallsQuery = graphql(`
  query StatusCalls($from: DateTime!, $to: DateTime!, $failed: CallLogFilterInput!) {
    callSeries(from: $from, to: $to, bucketSeconds: 60) { start calls errors }
    usageAnalytics(from: $from, to: $to, groupBy: TOOL) { id label calls errors p95LatencyMs }
    callLog(filter: $failed, first: 5) { entries { id at method name outcome error keyName groupSlug serverSlug } }
  }
`);

const MINUTE = 60_000;
/** The figures follow the clock: the chart's last minute fills up while the page is open. */
const REFRESH_MS = 30_000;

/** The last hour by the minute: from a whole minute to the end of the current one. */
function lastHour(now = Date.now()) {
  const to = Math.ceil((now + 1) / MINUTE) * MINUTE;
  return { from: new Date(to - 60 * MINUTE).toISOString(), to: new Date(to).toISOString() };
}

export default function StatusPage() {
  const me = useSession().me!;
  const client = useClient();
  const everything = me.role === 'ADMIN' || me.role === 'AUDITOR';

  const [serversVersion, setServersVersion] = useState(0);
  const servers = useAll((offset) => fetchQuery(client, ServersQuery, { first: PAGE_SIZE, offset }).then((d) => d.servers), serversVersion);

  // A transition of a server this page has not loaded (registered or shared since) reloads the list.
  const known = useRef<ReadonlySet<string> | null>(null);
  useEffect(() => {
    known.current = servers.items ? new Set(servers.items.map((s) => s.id)) : null;
  }, [servers.items]);

  // Health transitions pushed by the hub, newest per replica, layered over the checks the query returned.
  const [live, setLive] = useState<ReadonlyMap<string, ReplicaCheck>>(new Map());
  const [subscription] = useSubscription({ query: StatusChangedSubscription }, (_previous: unknown, event) => {
    const change = event.serverStatusChanged;
    setLive((current) => new Map(current).set(change.replicaId, { replicaId: change.replicaId, status: change.to, error: change.error, checkedAt: change.at }));
    if (known.current && !known.current.has(change.serverId)) setServersVersion((v) => v + 1);
    return event;
  });

  const [range, setRange] = useState(lastHour);
  const failedFilter = useMemo(() => ({ failed: true, from: range.from, to: range.to }), [range]);
  const [calls, refetchCalls] = useQuery({ query: CallsQuery, variables: { ...range, failed: failedFilter }, requestPolicy: 'cache-and-network' });
  const [updatedAt, setUpdatedAt] = useState(() => new Date());
  const refresh = useCallback(() => {
    setRange(lastHour());
    setUpdatedAt(new Date());
    refetchCalls({ requestPolicy: 'network-only' });
  }, [refetchCalls]);
  useEffect(() => {
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const buckets = calls.data?.callSeries ?? [];
  const total = buckets.reduce((n, b) => n + b.calls, 0);
  const errors = buckets.reduce((n, b) => n + b.errors, 0);

  return (
    <>
      <PageHeader
        title="Overview"
        description={everything ? 'Every server and every agent call on this hub' : 'Your servers and those shared with you; the calls made with your API keys'}
        actions={
          <Group gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              Updated {updatedAt.toLocaleTimeString()}
            </Text>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} aria-hidden />}
              onClick={() => {
                refresh();
                setServersVersion((v) => v + 1);
              }}
            >
              Refresh
            </Button>
          </Group>
        }
      />
      <ErrorNotice error={servers.error} title="The servers could not be loaded" />
      <ErrorNotice error={subscription.error} title="Live health updates stopped" />
      <ServerHealthPanel servers={servers.items} live={live} />

      <ErrorNotice error={calls.error} title="The call figures could not be loaded" />
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="lg">
        <Stat label="Calls in the last hour" value={calls.data ? total.toLocaleString() : '…'} />
        <Stat
          label="Errors in the last hour"
          value={calls.data ? errors.toLocaleString() : '…'}
          alert={errors > 0}
          detail={
            <>
              {total ? `${((errors / total) * 100).toFixed(1)}% of calls` : 'No calls'}
              {errors > 0 && (
                <>
                  {' · '}
                  <Anchor component={Link} to="/calls?outcome=failed">
                    See the failed calls
                  </Anchor>
                </>
              )}
            </>
          }
        />
      </SimpleGrid>

      <Card withBorder mt="lg">
        <Title order={2} size="h4" mb="sm">
          Calls per minute
        </Title>
        <Suspense fallback={<Loading label="Loading the chart" />}>
          <CallsChart buckets={buckets} loading={!calls.data} />
        </Suspense>
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }} mt="lg" spacing="lg">
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Top tools
          </Title>
          <TopTools rows={calls.data?.usageAnalytics} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Recent failed calls
          </Title>
          <RecentFailures entries={calls.data?.callLog.entries} />
        </Card>
      </SimpleGrid>
    </>
  );
}
