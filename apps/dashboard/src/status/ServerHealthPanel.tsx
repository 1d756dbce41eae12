import { Anchor, Badge, Card, Group, SimpleGrid, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconHelpCircle, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router';
import { formatRelative } from '../ui/format';
import { Loading } from '../ui/Loading';
import { STATE_LABELS, STATE_ORDER, summarize, type ReplicaCheck, type ServerForHealth, type ServerState } from './server-health';

const STATE_STYLE: Record<ServerState, { color: string; icon: Icon }> = {
  UP: { color: 'teal', icon: IconCircleCheck },
  DEGRADED: { color: 'yellow', icon: IconAlertTriangle },
  DOWN: { color: 'red', icon: IconCircleX },
  UNKNOWN: { color: 'gray', icon: IconHelpCircle },
};

export function ServerStateBadge({ state }: { state: ServerState }) {
  return (
    <Badge variant="dot" color={STATE_STYLE[state].color} style={{ whiteSpace: 'nowrap', minWidth: 'max-content' }}>
      {STATE_LABELS[state]}
    </Badge>
  );
}

type Server = ServerForHealth & { name: string; slug: string };

/** The servers by health: a count per state, then every server that is not up, worst first, linked to its page. */
export function ServerHealthPanel({ servers, live }: { servers: Server[] | null; live: ReadonlyMap<string, ReplicaCheck> }) {
  if (!servers) return <Loading label="Loading servers" />;
  const summaries = servers.map((server) => ({ server, ...summarize(server, live) }));
  const count = (state: ServerState) => summaries.filter((s) => s.state === state).length;
  const attention = summaries.filter((s) => s.state !== 'UP').sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.server.name.localeCompare(b.server.name));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Servers
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }} component="dl" m={0} aria-label="Servers by health">
        {(['UP', 'DEGRADED', 'DOWN', 'UNKNOWN'] as const).map((state) => {
          const { color, icon: StateIcon } = STATE_STYLE[state];
          return (
            <div key={state}>
              <Text component="dt" size="sm" c="dimmed">
                <Group gap={6} wrap="nowrap">
                  <ThemeIcon variant="light" color={color} size="sm" aria-hidden>
                    <StateIcon size={14} />
                  </ThemeIcon>
                  {STATE_LABELS[state]}
                </Group>
              </Text>
              <Text component="dd" m={0} fz={24} fw={700} lh={1.3}>
                {count(state)}
              </Text>
            </div>
          );
        })}
      </SimpleGrid>
      {servers.length === 0 && (
        <Text size="sm" mt="md">
          No servers yet. <Anchor component={Link} to="/servers">Register one on the Servers page</Anchor>.
        </Text>
      )}
      {servers.length > 0 && attention.length === 0 && (
        <Text size="sm" mt="md">
          All {servers.length} servers are up.
        </Text>
      )}
      {attention.length > 0 && (
        <Table.ScrollContainer minWidth={560} mt="md">
          <Table>
            <Table.Caption>Servers that are not up, the worst first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Server</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>Last check</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {attention.map(({ server, state, reason, checkedAt }) => (
                <Table.Tr key={server.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/servers/${server.id}`}>
                      {server.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ServerStateBadge state={state} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2} title={reason ?? undefined} style={{ wordBreak: 'break-word' }}>
                      {reason ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 'max-content' }}>{formatRelative(checkedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
