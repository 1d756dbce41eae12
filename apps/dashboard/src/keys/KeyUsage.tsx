import '@mantine/charts/styles.css';
import { AreaChart, BarChart, LineChart } from '@mantine/charts';
import { Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { fillHours, formatMs, usageWindow, type UsageRange } from './key-format';

const KeyUsageQuery = graphql(`
  query KeyUsage($keyId: ID!, $from: DateTime!, $to: DateTime!) {
    usage(keyId: $keyId, from: $from, to: $to) {
      calls errors avgLatencyMs
      byHour { hour calls errors avgLatencyMs maxLatencyMs }
      byServer { serverId serverSlug calls errors avgLatencyMs maxLatencyMs }
      byTool { serverId serverSlug tool calls errors avgLatencyMs maxLatencyMs }
    }
  }
`);

const RANGES: { value: UsageRange; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-stat={label}>
        {value}
      </Text>
    </Card>
  );
}

/** A chart with a heading and a text summary for those who cannot see it. */
function ChartCard({ title, summary, children }: { title: string; summary: string; children: ReactNode }) {
  return (
    <Card withBorder component="figure" m={0} aria-label={title}>
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm" component="figcaption">
        {summary}
      </Text>
      {children}
    </Card>
  );
}

/** tools/call usage of one key: hourly calls, errors and latency, and where the calls went (server, tool). */
export function KeyUsage({ keyId }: { keyId: string }) {
  const [range, setRange] = useState<UsageRange>('24h');
  // The span is fixed when the range is picked or Refresh is pressed, so the query is not re-sent on every render.
  const [span, setSpan] = useState(() => usageWindow('24h'));
  const [result, reexecute] = useQuery({ query: KeyUsageQuery, variables: { keyId, ...span }, requestPolicy: 'network-only' });
  const usage = result.data?.usage;
  const hourly = useMemo(() => fillHours(span, usage?.byHour ?? []), [span, usage]);
  const label = (iso: string) => {
    const d = new Date(iso);
    return range === '24h' ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
  };
  const points = hourly.map((h) => ({ ...h, label: label(h.hour) }));
  // Hours without calls have no latency: gaps in the line, not zeros.
  const latency = points.map((p) => (p.calls ? p : { ...p, avgLatencyMs: null, maxLatencyMs: null }));
  const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  const refresh = () => {
    const next = usageWindow(range);
    if (next.from === span.from && next.to === span.to) reexecute({ requestPolicy: 'network-only' });
    else setSpan(next);
  };
  const busiest = usage?.byHour.reduce<(typeof usage.byHour)[number] | null>((best, h) => (!best || h.calls > best.calls ? h : best), null);
  const errorRate = usage && usage.calls ? `${((usage.errors / usage.calls) * 100).toFixed(1)} %` : '—';

  return (
    <Card withBorder>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2} size="h4">
          Usage
        </Title>
        <Group gap="sm">
          <SegmentedControl
            aria-label="Time range"
            value={range}
            onChange={(value) => {
              setRange(value as UsageRange);
              setSpan(usageWindow(value as UsageRange));
            }}
            data={RANGES}
          />
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={refresh} loading={result.fetching}>
            Refresh usage
          </Button>
        </Group>
      </Group>
      <ErrorNotice error={result.error} title="Usage could not be loaded" />
      {!usage ? (
        result.fetching && <Loading label="Loading usage" />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat label="Calls" value={usage.calls.toLocaleString()} />
            <Stat label="Errors" value={usage.errors.toLocaleString()} />
            <Stat label="Error rate" value={errorRate} />
            <Stat label="Average latency" value={usage.calls ? formatMs(usage.avgLatencyMs) : '—'} />
          </SimpleGrid>
          {usage.calls === 0 ? (
            <Text size="sm" c="dimmed">
              No tool calls with this key in this period. Calls show up here a few seconds after they are made.
            </Text>
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <ChartCard
                  title="Calls per hour"
                  summary={`${plural(usage.calls, 'call', 'calls')} and ${plural(usage.errors, 'error', 'errors')}${busiest ? `; the busiest hour (${label(busiest.hour)}) had ${busiest.calls}` : ''}.`}
                >
                  <AreaChart
                    h={220}
                    data={points}
                    dataKey="label"
                    series={[
                      { name: 'calls', label: 'Calls', color: 'indigo.6' },
                      { name: 'errors', label: 'Errors', color: 'red.6' },
                    ]}
                    curveType="linear"
                    withDots={false}
                    withLegend
                    yAxisProps={{ allowDecimals: false }}
                  />
                </ChartCard>
                <ChartCard title="Latency per hour" summary={`Average ${formatMs(usage.avgLatencyMs)} over the period; the line shows each hour's average and slowest call.`}>
                  <LineChart
                    h={220}
                    data={latency}
                    dataKey="label"
                    series={[
                      { name: 'avgLatencyMs', label: 'Average', color: 'teal.6' },
                      { name: 'maxLatencyMs', label: 'Slowest', color: 'orange.6' },
                    ]}
                    connectNulls={false}
                    withDots
                    yAxisProps={{ width: 64 }}
                    valueFormatter={(v) => (v === null || v === undefined ? '—' : formatMs(v))}
                    withLegend
                  />
                </ChartCard>
              </SimpleGrid>
              <ChartCard title="Calls by server" summary={usage.byServer.map((s) => `${s.serverSlug}: ${s.calls}`).join(', ')}>
                <BarChart
                  h={Math.max(120, usage.byServer.length * 48)}
                  data={usage.byServer.map((s) => ({ server: s.serverSlug, calls: s.calls, errors: s.errors }))}
                  dataKey="server"
                  orientation="vertical"
                  yAxisProps={{ width: 140 }}
                  xAxisProps={{ allowDecimals: false }}
                  maxBarWidth={24}
                  series={[
                    { name: 'calls', label: 'Calls', color: 'indigo.6' },
                    { name: 'errors', label: 'Errors', color: 'red.6' },
                  ]}
                  withLegend
                />
              </ChartCard>
              <ChartCard title="Calls by tool" summary={`${plural(usage.byTool.length, 'tool', 'tools')} called; the table lists each with its errors and latency.`}>
                <BarChart
                  h={Math.max(120, Math.min(usage.byTool.length, 15) * 40)}
                  data={usage.byTool.slice(0, 15).map((t) => ({ tool: `${t.serverSlug}/${t.tool}`, calls: t.calls, errors: t.errors }))}
                  dataKey="tool"
                  orientation="vertical"
                  yAxisProps={{ width: 180 }}
                  xAxisProps={{ allowDecimals: false }}
                  maxBarWidth={24}
                  series={[
                    { name: 'calls', label: 'Calls', color: 'indigo.6' },
                    { name: 'errors', label: 'Errors', color: 'red.6' },
                  ]}
                  withLegend
                />
                <Table.ScrollContainer minWidth={560} mt="md">
                  <Table striped aria-label="Calls by tool">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Tool</Table.Th>
                        <Table.Th>Server</Table.Th>
                        <Table.Th ta="right">Calls</Table.Th>
                        <Table.Th ta="right">Errors</Table.Th>
                        <Table.Th ta="right">Average latency</Table.Th>
                        <Table.Th ta="right">Slowest</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {usage.byTool.map((t) => (
                        <Table.Tr key={`${t.serverId}/${t.tool}`}>
                          <Table.Td>{t.tool}</Table.Td>
                          <Table.Td>{t.serverSlug}</Table.Td>
                          <Table.Td ta="right">{t.calls.toLocaleString()}</Table.Td>
                          <Table.Td ta="right">{t.errors.toLocaleString()}</Table.Td>
                          <Table.Td ta="right">{formatMs(t.avgLatencyMs)}</Table.Td>
                          <Table.Td ta="right">{formatMs(t.maxLatencyMs)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </ChartCard>
            </>
          )}
        </Stack>
      )}
    </Card>
  );
}
