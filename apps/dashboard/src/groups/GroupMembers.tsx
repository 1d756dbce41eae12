import { ActionIcon, Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, Title, Tooltip, useComputedColorScheme, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconRefresh, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatRelative } from '../ui/format';
import type { GroupDetail } from './GroupPage';

const ServersQuery = graphql(`
  query GroupServerChoices {
    servers(first: 100) { id name slug transport }
  }
`);

const AddServerMutation = graphql(`
  mutation AddServerToGroup($groupId: ID!, $serverId: ID!) {
    addServerToGroup(groupId: $groupId, serverId: $serverId) { id servers { id } }
  }
`);

const RemoveServerMutation = graphql(`
  mutation RemoveServerFromGroup($groupId: ID!, $serverId: ID!) {
    removeServerFromGroup(groupId: $groupId, serverId: $serverId) { id servers { id } }
  }
`);

const ReorderMutation = graphql(`
  mutation ReorderGroupServers($groupId: ID!, $serverIds: [ID!]!) {
    reorderGroupServers(groupId: $groupId, serverIds: $serverIds) { id servers { id } }
  }
`);

const TestServerMutation = graphql(`
  mutation DiscoverServerTools($id: ID!) {
    testServer(id: $id) { ok error toolCount }
  }
`);

const TRANSPORT_LABEL: Record<string, string> = { STDIO: 'stdio', SSE: 'SSE', STREAMABLE_HTTP: 'Streamable HTTP' };

type Member = GroupDetail['servers'][number];

/** Member servers in order: the first owns a tool name or resource URI two would share. */
export function GroupMembers({ group, reload }: { group: GroupDetail; reload(): void }) {
  const [reorder, runReorder] = useMutation(ReorderMutation);
  const [test, runTest] = useMutation(TestServerMutation);
  const [testing, setTesting] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const members = group.servers;
  const scheme = useComputedColorScheme('light');
  const toolCount = (serverId: string) => group.tools.filter((t) => t.serverId === serverId).length;

  async function move(index: number, by: -1 | 1) {
    const order = members.map((m) => m.id);
    [order[index], order[index + by]] = [order[index + by], order[index]];
    const result = await runReorder({ groupId: group.id, serverIds: order });
    if (result.data) notifications.show({ color: 'teal', message: `${members[index].name} moved ${by < 0 ? 'up' : 'down'}` });
  }

  async function discover(member: Member) {
    setTesting(member.id);
    const result = await runTest({ id: member.id });
    setTesting(null);
    const outcome = result.data?.testServer;
    if (outcome?.ok) notifications.show({ color: 'teal', message: `${member.name}: ${outcome.toolCount ?? 0} tools discovered` });
    else if (outcome) notifications.show({ color: 'red', title: `${member.name} did not answer`, message: outcome.error ?? 'The test failed' });
    reload();
  }

  return (
    <Stack>
      <ErrorNotice error={reorder.error ?? test.error} title="The servers were not changed" />
      <Card withBorder p={0}>
        {members.length === 0 ? (
          <Text p="md">No servers yet: add one below. Agents connected to this group see no tools until then.</Text>
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table>
              <Table.Caption>Servers in order: when two offer the same name, the first one wins</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Server</Table.Th>
                  <Table.Th>Transport</Table.Th>
                  <Table.Th>Tools</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.map((m, i) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{i + 1}</Table.Td>
                    <Table.Td>
                      <Text fw={600} size="sm">
                        {m.name}
                      </Text>
                      <Text ff="monospace" size="xs" c="dimmed">
                        {m.slug}__…
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {TRANSPORT_LABEL[m.transport] ?? m.transport} {!m.enabled && <Badge color="gray">disabled</Badge>}
                    </Table.Td>
                    <Table.Td>
                      {m.capabilities ? (
                        <Text size="sm">
                          {toolCount(m.id)} tools{' '}
                          <Text span size="xs" c="dimmed">
                            (discovered {formatRelative(m.capabilities.discoveredAt)})
                          </Text>
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Not discovered yet
                        </Text>
                      )}
                      {m.lastError && (
                        <Text size="xs" c={scheme === 'dark' ? 'red.3' : 'red.9'} lineClamp={2} title={m.lastError}>
                          {m.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconRefresh size={14} aria-hidden />}
                          loading={testing === m.id}
                          onClick={() => void discover(m)}
                          aria-label={`Discover tools of ${m.name}`}
                        >
                          Discover tools
                        </Button>
                        <Tooltip label={`Move ${m.name} up`}>
                          <ActionIcon variant="subtle" color="gray" disabled={i === 0 || reorder.fetching} onClick={() => void move(i, -1)} aria-label={`Move ${m.name} up`}>
                            <IconArrowUp size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={`Move ${m.name} down`}>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            disabled={i === members.length - 1 || reorder.fetching}
                            onClick={() => void move(i, 1)}
                            aria-label={`Move ${m.name} down`}
                          >
                            <IconArrowDown size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={`Remove ${m.name} from the group`}>
                          <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(m)} aria-label={`Remove ${m.name} from the group`}>
                            <IconX size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <AddServerForm group={group} />
      {removing && <RemoveMemberModal group={group} member={removing} onClose={() => setRemoving(null)} />}
    </Stack>
  );
}

function AddServerForm({ group }: { group: GroupDetail }) {
  const [servers] = useQuery({ query: ServersQuery });
  const [state, add] = useMutation(AddServerMutation);
  const [serverId, setServerId] = useState<string | null>(null);
  const memberIds = new Set(group.servers.map((s) => s.id));
  const choices = (servers.data?.servers ?? [])
    .filter((s) => !memberIds.has(s.id))
    .map((s) => ({ value: s.id, label: `${s.name} (${s.slug}, ${TRANSPORT_LABEL[s.transport] ?? s.transport})` }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!serverId) return;
    const result = await add({ groupId: group.id, serverId });
    if (result.data) {
      notifications.show({ color: 'teal', message: 'Server added: agents of this group see its tools now' });
      setServerId(null);
    }
  }

  return (
    <Card withBorder component="section" aria-labelledby="add-server-title">
      <Title order={2} size="h4" mb="sm" id="add-server-title">
        Add a server
      </Title>
      <ErrorNotice error={servers.error ?? state.error} title={state.error ? 'Server not added' : 'Servers could not be loaded'} />
      <form onSubmit={submit}>
        <Group align="flex-end">
          <Select
            label="Server"
            placeholder={choices.length ? 'Choose a server' : 'Every server you may use is in the group'}
            description="Adding a server exposes it to everyone who may use this group: you need the right to share it"
            data={choices}
            value={serverId}
            onChange={setServerId}
            searchable
            nothingFoundMessage="No server matches"
            disabled={!choices.length}
            style={{ flex: 1, minWidth: 260 }}
          />
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} disabled={!serverId} loading={state.fetching}>
            Add to group
          </Button>
        </Group>
      </form>
    </Card>
  );
}

function RemoveMemberModal({ group, member, onClose }: { group: GroupDetail; member: Member; onClose(): void }) {
  const [state, remove] = useMutation(RemoveServerMutation);
  async function confirm() {
    const result = await remove({ groupId: group.id, serverId: member.id });
    if (!result.data) return;
    notifications.show({ color: 'teal', message: `${member.name} removed from ${group.name}` });
    onClose();
  }
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Remove ${member.name} from ${group.name}?`}>
      <Stack>
        <Text size="sm">Agents of this group stop seeing its tools at once. The server stays registered; a revision lets you undo this.</Text>
        <ErrorNotice error={state.error} title="Not removed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" onClick={() => void confirm()} loading={state.fetching}>
            Remove server
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
