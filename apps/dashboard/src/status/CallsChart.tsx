import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Box, Text } from '@mantine/core';
import { Loading } from '../ui/Loading';

const minute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

interface Bucket {
  start: string;
  calls: number;
  errors: number;
}

/** Calls per minute, succeeded and failed stacked; the figures are also said in words (the chart is a picture). */
export default function CallsChart({ buckets, loading }: { buckets: Bucket[]; loading: boolean }) {
  if (loading) return <Loading label="Loading calls per minute" />;
  const data = buckets.map((b) => ({ minute: minute.format(new Date(b.start)), Succeeded: b.calls - b.errors, Failed: b.errors }));
  const total = buckets.reduce((n, b) => n + b.calls, 0);
  const busiest = buckets.reduce<Bucket | null>((max, b) => (b.calls > (max?.calls ?? 0) ? b : max), null);
  const summary = busiest
    ? `${total} calls in the last hour; the busiest minute, ${minute.format(new Date(busiest.start))}, had ${busiest.calls} (${busiest.errors} failed).`
    : 'No calls in the last hour.';
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {summary}
      </Text>
      <Box role="img" aria-label={`Bar chart of calls per minute. ${summary}`}>
        <BarChart
          h={220}
          data={data}
          dataKey="minute"
          type="stacked"
          series={[
            { name: 'Succeeded', color: 'indigo.6' },
            { name: 'Failed', color: 'red.6' },
          ]}
          withLegend
          tickLine="y"
          yAxisProps={{ allowDecimals: false, width: 40 }}
          xAxisProps={{ minTickGap: 24 }}
          barChartProps={{ accessibilityLayer: false }}
        />
      </Box>
    </>
  );
}
