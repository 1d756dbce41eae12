import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Loading } from '../ui/Loading';

interface ToolRow {
  id: string | null;
  label: string | null;
  calls: number;
  errors: number;
  p95LatencyMs: number | null;
}

const TOP = 5;

/** The most called tools of the last hour, each linked to its calls. */
export function TopTools({ rows }: { rows: ToolRow[] | undefined }) {
  if (!rows) return <Loading label="Loading top tools" />;
  const top = rows.filter((r): r is ToolRow & { id: string } => r.id !== null).slice(0, TOP);
  if (!top.length) return <Text size="sm">No tool calls in the last hour.</Text>;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Tool</Table.Th>
            <Table.Th ta="right">Calls</Table.Th>
            <Table.Th ta="right">Errors</Table.Th>
            <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>p95 latency</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {top.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Anchor component={Link} to={`/calls?tool=${encodeURIComponent(row.id)}`} aria-label={`Calls of ${row.label ?? row.id}`}>
                  {row.label ?? row.id}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right">{row.calls}</Table.Td>
              <Table.Td ta="right">{row.errors}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {row.p95LatencyMs === null ? '—' : `${Math.round(row.p95LatencyMs)} ms`}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
