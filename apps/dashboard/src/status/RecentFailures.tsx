import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CallOutcome } from '../calls/call-log-query';
import { OutcomeBadge } from '../calls/OutcomeBadge';
import { formatRelative } from '../ui/format';
import { Loading } from '../ui/Loading';

interface FailedCall {
  id: string;
  at: string;
  method: string;
  name: string | null;
  outcome: CallOutcome;
  error: string | null;
}

/** The newest failed calls of the last hour; the full list (and each call's details) is on "My calls". */
export function RecentFailures({ entries }: { entries: FailedCall[] | undefined }) {
  if (!entries) return <Loading label="Loading failed calls" />;
  if (!entries.length) return <Text size="sm">No failed calls in the last hour.</Text>;
  return (
    <>
      <Table.ScrollContainer minWidth={360}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Call and error</Table.Th>
              <Table.Th>Outcome</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Anchor component={Link} to={`/calls?${new URLSearchParams({ outcome: e.outcome, ...(e.name ? { tool: e.name } : {}) })}`} size="sm">
                    {e.name ?? e.method}
                  </Anchor>
                  <Text size="xs" c="dimmed" lineClamp={2} title={e.error ?? undefined}>
                    {formatRelative(e.at)}
                    {e.error && ` · ${e.error}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <OutcomeBadge outcome={e.outcome} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Anchor component={Link} to="/calls?outcome=failed" size="sm">
        All failed calls
      </Anchor>
    </>
  );
}
