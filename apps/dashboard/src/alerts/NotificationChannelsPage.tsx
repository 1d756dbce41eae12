import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/format';
import { CreateChannelModal } from './CreateChannelModal';
import { eventLabel, formatLabel } from './channel-options';

const ChannelsQuery = graphql(`
  query NotificationChannels {
    notificationChannels { id name kind format urlOrigin events enabled createdAt updatedAt }
  }
`);

/** The person's webhook channels (at most 20, so no paging). */
export default function NotificationChannelsPage() {
  const [creating, setCreating] = useState(false);
  // With the typename, creating the first channel refreshes an empty list too.
  const context = useMemo(() => ({ additionalTypenames: ['NotificationChannel'] }), []);
  const [result] = useQuery({ query: ChannelsQuery, context });
  const channels = result.data?.notificationChannels;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Webhooks the hub calls when something you can see needs attention: Slack, Microsoft Teams or your own receiver."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New channel
          </Button>
        }
      />
      <ErrorNotice error={result.error} title="Channels could not be loaded" />
      {!channels && !result.error && <Loading label="Loading channels" />}
      {channels && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Format</Table.Th>
                <Table.Th>Destination</Table.Th>
                <Table.Th>Events</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" size="sm" py="md" ta="center">
                      No channel yet. Create one to hear about servers going down or keys running out of quota.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {channels.map((channel) => (
                <Table.Tr key={channel.id}>
                  <Table.Td miw={140}>
                    <Anchor component={Link} to={`/notifications/${channel.id}`} fw={500}>
                      {channel.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatLabel(channel.format)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {channel.urlOrigin}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {channel.events.map((event) => (
                        <Badge key={event} variant="light" color="gray" size="sm">
                          {eventLabel(event)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={channel.enabled ? 'teal' : 'gray'} style={{ minWidth: 'max-content' }}>
                      {channel.enabled ? 'Enabled' : 'Disabled'}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(channel.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateChannelModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
