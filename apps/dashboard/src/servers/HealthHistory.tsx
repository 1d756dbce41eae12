import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { HealthBadge } from './HealthBadge';
import type { ReplicaStatus } from './health';
import { replicaNames, type ServerDetail } from './server-detail.query';

const HistoryQuery = graphql(`
  query ServerHealthHistory($serverId: ID!, $first: Int) {
    serverHealthHistory(serverId: $serverId, first: $first) { replicaId status latencyMs error checkedAt }
  }
`);

const SERIES_COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'lime.7'];
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const checkedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The last 100 checks: latency per replica over time (a DOWN check has none), and the same as a table. */
export function HealthHistory({ server, live }: { server: ServerDetail; live: Record<string, ReplicaStatus> }) {
  const [history, refetch] = useQuery({ query: HistoryQuery, variables: { serverId: server.id, first: 100 } });
  const liveKey = Object.values(live)
    .map((s) => s.at)
    .join();
  useEffect(() => {
    if (liveKey) refetch({ requestPolicy: 'network-only' });
  }, [liveKey, refetch]);
  const names = replicaNames(server);
  const checks = history.data?.serverHealthHistory ?? [];
  const nameOf = (id: string) => names.get(id) ?? 'removed replica';
  const { data, series } = useMemo(() => {
    const ordered = [...checks].reverse();
    const seriesNames = [...new Set(ordered.map((c) => nameOf(c.replicaId)))];
    return {
      data: ordered.map((c) => ({ at: time.format(new Date(c.checkedAt)), [nameOf(c.replicaId)]: c.latencyMs })),
      series: seriesNames.map((name, i) => ({ name, label: `${name} (ms)`, color: SERIES_COLORS[i % SERIES_COLORS.length] })),
    };
  }, [checks]);
  if (history.error) return <ErrorNotice error={history.error} />;
  if (!history.data) return <Loading label="Loading the health history" />;
  const down = checks.filter((c) => c.status === 'DOWN').length;
  return (
    <Stack gap="lg">
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Latency of health checks
          </Title>
          <Text size="sm" c="dimmed">
            {checks.length} checks, {down} down; one every {server.healthCheckIntervalSeconds} s per replica
          </Text>
        </Group>
        {checks.length === 0 ? (
          <Text size="sm" c="dimmed">
            {server.enabled ? 'No check has run yet.' : 'The server is disabled: it is not checked.'}
          </Text>
        ) : (
          <figure style={{ margin: 0 }} aria-label="Latency of each replica's health checks over time; the table below lists the same checks">
            <LineChart h={260} data={data} dataKey="at" series={series} connectNulls curveType="monotone" unit=" ms" withLegend />
          </figure>
        )}
      </Card>
      {checks.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Recent checks
          </Title>
          <Table.ScrollContainer minWidth={700} mah={420}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Checked</Table.Th>
                  <Table.Th>Replica</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Latency</Table.Th>
                  <Table.Th>Error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {checks.map((c) => (
                  <Table.Tr key={`${c.replicaId}:${c.checkedAt}`}>
                    <Table.Td>{checkedAt.format(new Date(c.checkedAt))}</Table.Td>
                    <Table.Td>{nameOf(c.replicaId)}</Table.Td>
                    <Table.Td>
                      <HealthBadge state={c.status} />
                    </Table.Td>
                    <Table.Td>{c.latencyMs === null ? '—' : `${c.latencyMs} ms`}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {c.error ?? ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
