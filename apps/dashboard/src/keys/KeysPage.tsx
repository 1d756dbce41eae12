import { Anchor, Badge, Button, Card, Code, EmptyState, Group, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useClient, useQuery } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime, formatRelative } from '../ui/format';
import { KeyGroupsList } from './KeyGroupsList';
import { KeyStatusBadge } from './KeyStatusBadge';
import { RevokeKeyButton } from './RevokeKeyButton';
import { quotaText } from './key-format';
import { useCursorPages } from '../ui/cursor-pages';
import { KeyGroupsQuery, KeyListQuery } from './keys.graphql';

const PAGE_SIZE = 25;

type Whose = 'everyone' | 'mine';

export default function KeysPage() {
  const me = useSession().me!;
  // Admins and auditors see everyone's keys; members only ever their own.
  const seesAll = me.role !== 'MEMBER';
  const mayChange = me.role !== 'AUDITOR';
  const [whose, setWhose] = useState<Whose>('everyone');
  const showOwner = seesAll && whose === 'everyone';
  const userId = seesAll && whose === 'mine' ? me.id : null;
  const client = useClient();
  const list = useCursorPages(async (after) => {
    const { apiKeys } = await fetchQuery(client, KeyListQuery, { first: PAGE_SIZE, after, userId });
    return { nodes: apiKeys.nodes, ...apiKeys.pageInfo };
  }, whose);
  // Revoked here: shown as revoked where they are, without reading the pages again.
  const [revoked, setRevoked] = useState<ReadonlyMap<string, string>>(new Map());
  const keys = list.nodes.map((k) => (revoked.has(k.id) ? { ...k, revokedAt: revoked.get(k.id)! } : k));
  const [groupsResult] = useQuery({ query: KeyGroupsQuery });
  const groups = new Map((groupsResult.data?.groups ?? []).map((g) => [g.id, g]));

  return (
    <>
      <PageHeader
        title="API keys"
        description="Agents connect to group endpoints with these keys. The secret of a key is shown only when it is created."
        actions={
          mayChange && (
            <Button component={Link} to="/keys/new" leftSection={<IconPlus size={16} aria-hidden />}>
              Create key
            </Button>
          )
        }
      />
      {seesAll && (
        <SegmentedControl
          mb="md"
          aria-label="Whose keys"
          value={whose}
          onChange={(value) => setWhose(value as Whose)}
          data={[
            { value: 'everyone', label: 'Everyone’s keys' },
            { value: 'mine', label: 'My keys' },
          ]}
        />
      )}
      <ErrorNotice error={list.error} title="The keys could not be loaded" />
      {list.loading && !keys.length ? (
        <Loading label="Loading keys" />
      ) : !keys.length && !list.error ? (
        <Card withBorder>
          <EmptyState icon={<IconKey aria-hidden />}>
            <EmptyState.Title order={2}>No API keys yet</EmptyState.Title>
            <EmptyState.Description>
              {mayChange ? 'Create a key to connect an agent such as Cursor or Claude to one of your groups.' : 'Nobody has created a key yet.'}
            </EmptyState.Description>
            {mayChange && (
              <EmptyState.Actions>
                <Button component={Link} to="/keys/new">
                  Create your first key
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Card>
      ) : (
        <Stack gap="sm">
          <Card withBorder p={0}>
            <Table.ScrollContainer minWidth={showOwner ? 960 : 840}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    {showOwner && <Table.Th>Owner</Table.Th>}
                    <Table.Th>Groups</Table.Th>
                    <Table.Th>Quotas</Table.Th>
                    <Table.Th>Tags</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Last used</Table.Th>
                    <Table.Th>Status</Table.Th>
                    {mayChange && (
                      <Table.Th>
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {keys.map((key) => (
                    <Table.Tr key={key.id}>
                      <Table.Td>
                        <Stack gap={2}>
                          <Anchor component={Link} to={`/keys/${key.id}`} fw={500}>
                            {key.name}
                          </Anchor>
                          <Code fz="xs" w="fit-content">
                            {key.prefix}
                          </Code>
                        </Stack>
                      </Table.Td>
                      {showOwner && (
                        <Table.Td>
                          <Text size="sm">{key.owner.displayName ?? key.owner.email}</Text>
                          {key.owner.displayName && (
                            <Text size="xs" c="dimmed">
                              {key.owner.email}
                            </Text>
                          )}
                        </Table.Td>
                      )}
                      <Table.Td>
                        <KeyGroupsList groupIds={key.groupIds} groups={groups} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{quotaText(key)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {key.tags.length ? (
                          <Group gap={4}>
                            {key.tags.map((t) => (
                              <Badge key={t} variant="light" color="gray" tt="none">
                                {t}
                              </Badge>
                            ))}
                          </Group>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{key.expiresAt ? formatDateTime(key.expiresAt) : 'Never'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>
                          {key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <KeyStatusBadge apiKey={key} />
                      </Table.Td>
                      {mayChange && <Table.Td>{!key.revokedAt && <RevokeKeyButton apiKey={key} size="xs" onRevoked={(at) => setRevoked((r) => new Map(r).set(key.id, at))} />}</Table.Td>}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {list.hasNextPage ? `Showing the newest ${keys.length} keys` : `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`}
            </Text>
            {list.hasNextPage && (
              <Button variant="default" onClick={list.loadMore} loading={list.loading}>
                Load more keys
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </>
  );
}
