import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { formatDateTime } from '../ui/format';
import { DELIVERY_STATUS, eventLabel } from './channel-options';

const DeliveriesQuery = graphql(`
  query NotificationDeliveries($channelId: ID!, $first: Int, $after: String) {
    notificationDeliveries(channelId: $channelId, first: $first, after: $after) {
      nodes { id eventType eventId summary status attempts responseStatus error createdAt lastAttemptAt completedAt }
      endCursor
      hasNextPage
    }
  }
`);

const PAGE_SIZE = 20;
/** While a delivery on the newest page is still being tried, look again this often. */
const POLL_MS = 3000;

interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

/** A channel's deliveries, newest first, a page at a time; the newest page follows deliveries still under way. */
export function DeliveryLog({ channelId }: { channelId: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pages, setPages] = useState<Record<number, PageInfo>>({});
  const last = pages[cursors.length - 1];
  return (
    <>
      <Table.ScrollContainer minWidth={820}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queued</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Answer</Table.Th>
              <Table.Th>Finished</Table.Th>
            </Table.Tr>
          </Table.Thead>
          {cursors.map((after, index) => (
            <DeliveryRows key={after ?? 'newest'} channelId={channelId} after={after} index={index} setPages={setPages} />
          ))}
        </Table>
      </Table.ScrollContainer>
      {last?.hasNextPage && last.endCursor && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => setCursors((current) => [...current, last.endCursor])}>
            Show older deliveries
          </Button>
        </Group>
      )}
    </>
  );
}

function DeliveryRows({ channelId, after, index, setPages }: { channelId: string; after: string | null; index: number; setPages: Dispatch<SetStateAction<Record<number, PageInfo>>> }) {
  // With the typename, a test sent while the log is empty shows up too.
  const context = useMemo(() => ({ additionalTypenames: ['NotificationDelivery'] }), []);
  const [result, refetch] = useQuery({ query: DeliveriesQuery, variables: { channelId, first: PAGE_SIZE, after }, context });
  const page = result.data?.notificationDeliveries;
  const loaded = page !== undefined;
  const endCursor = page?.endCursor ?? null;
  const hasNextPage = page?.hasNextPage ?? false;
  const underWay = index === 0 && !!page?.nodes.some((d) => d.status === 'PENDING' || d.status === 'RETRYING');

  useEffect(() => {
    if (loaded) setPages((current) => ({ ...current, [index]: { endCursor, hasNextPage } }));
  }, [loaded, endCursor, hasNextPage, index, setPages]);

  useEffect(() => {
    if (!underWay || result.fetching) return;
    const timer = setTimeout(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearTimeout(timer);
  }, [underWay, result.fetching, refetch]);

  if (!page) {
    return (
      <Table.Tbody>
        <Table.Tr>
          <Table.Td colSpan={6}>{result.error ? <ErrorNotice error={result.error} title="Deliveries could not be loaded" /> : <Loading label="Loading deliveries" />}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    );
  }
  return (
    <Table.Tbody>
      {index === 0 && page.nodes.length === 0 && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <Text c="dimmed" size="sm" py="md" ta="center">
              Nothing sent yet. Send a test notification to check the receiver.
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      {page.nodes.map((d) => {
        const status = DELIVERY_STATUS[d.status] ?? { color: 'gray', label: d.status };
        return (
          <Table.Tr key={d.id}>
            <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
            <Table.Td>
              <Text size="sm" fw={500}>
                {eventLabel(d.eventType)}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={2} title={d.summary}>
                {d.summary}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="dot" color={status.color} style={{ minWidth: 'max-content' }}>
                {status.label}
              </Badge>
            </Table.Td>
            <Table.Td>{d.attempts}</Table.Td>
            <Table.Td>
              {d.responseStatus !== null && <Text size="sm">HTTP {d.responseStatus}</Text>}
              {d.error && (
                <Text size="xs" c="red" lineClamp={3} title={d.error}>
                  {d.error}
                </Text>
              )}
              {d.responseStatus === null && !d.error && '—'}
            </Table.Td>
            <Table.Td>{formatDateTime(d.completedAt)}</Table.Td>
          </Table.Tr>
        );
      })}
    </Table.Tbody>
  );
}
