import { ActionIcon, Badge, Button, Card, Group, Select, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShare, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { formatDateTime } from '../ui/format';
import type { GroupDetail } from './GroupPage';

const TeamsQuery = graphql(`
  query ShareableTeams {
    teams(first: 100) { id name slug }
  }
`);

const ShareMutation = graphql(`
  mutation ShareGroup($groupId: ID!, $teamId: ID!, $level: AccessLevel!) {
    shareGroup(groupId: $groupId, teamId: $teamId, level: $level) { id shares { teamId level } }
  }
`);

const UnshareMutation = graphql(`
  mutation UnshareGroup($groupId: ID!, $teamId: ID!) {
    unshareGroup(groupId: $groupId, teamId: $teamId) { id shares { teamId level } }
  }
`);

type Level = 'VIEWER' | 'EDITOR' | 'OWNER';
const LEVELS: { value: Level; label: string }[] = [
  { value: 'VIEWER', label: 'Viewer: use the endpoint with their own keys' },
  { value: 'EDITOR', label: 'Editor: also change servers, filter and rules' },
  { value: 'OWNER', label: 'Owner: also delete and share the group' },
];

/** Teams whose members may use (or manage) the group. Sharing takes owner access to the group. */
export function GroupSharing({ group }: { group: GroupDetail }) {
  const [teams] = useQuery({ query: TeamsQuery });
  const [shared, share] = useMutation(ShareMutation);
  const [unshared, unshare] = useMutation(UnshareMutation);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [level, setLevel] = useState<Level>('VIEWER');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!teamId) return;
    const result = await share({ groupId: group.id, teamId, level });
    if (result.data) {
      notifications.show({ color: 'teal', message: 'Group shared' });
      setTeamId(null);
    }
  }

  async function stop(share: GroupDetail['shares'][number]) {
    const result = await unshare({ groupId: group.id, teamId: share.teamId });
    if (result.data) notifications.show({ color: 'teal', message: `Team ${share.teamName} no longer has access` });
  }

  const errors = fieldErrors(shared.error, '');
  const teamChoices = (teams.data?.teams ?? []).map((t) => ({
    value: t.id,
    label: `${t.name}${group.shares.some((s) => s.teamId === t.id) ? ' (shared: changes the level)' : ''}`,
  }));
  return (
    <Stack>
      <ErrorNotice error={unshared.error} title="Access not taken away" />
      <Card withBorder p={0}>
        {group.shares.length === 0 ? (
          <Text p="md">Not shared with any team: only its owner and admins see this group.</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Caption>Teams with access</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Team</Table.Th>
                  <Table.Th>Access</Table.Th>
                  <Table.Th>Since</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {group.shares.map((s) => (
                  <Table.Tr key={s.teamId}>
                    <Table.Td>{s.teamName}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{s.level.toLowerCase()}</Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(s.sharedAt)}</Table.Td>
                    <Table.Td>
                      <Tooltip label={`Stop sharing with ${s.teamName}`}>
                        <ActionIcon variant="subtle" color="red" onClick={() => void stop(s)} aria-label={`Stop sharing with ${s.teamName}`}>
                          <IconX size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="share-title">
        <Title order={2} size="h4" mb="sm" id="share-title">
          Share with a team
        </Title>
        <ErrorNotice error={teams.error ?? (shared.error && !Object.keys(errors).length ? shared.error : null)} title="Not shared" />
        <form onSubmit={submit}>
          <Group align="flex-end">
            <Select
              label="Team"
              placeholder={teamChoices.length ? 'Choose a team' : 'No team to share with yet'}
              data={teamChoices}
              value={teamId}
              onChange={setTeamId}
              searchable
              disabled={!teamChoices.length}
              error={errors.teamId}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Select label="Access" data={LEVELS} value={level} onChange={(v) => v && setLevel(v as Level)} allowDeselect={false} style={{ flex: 1, minWidth: 260 }} />
            <Button type="submit" leftSection={<IconShare size={16} aria-hidden />} disabled={!teamId} loading={shared.fetching}>
              Share
            </Button>
          </Group>
        </form>
      </Card>
    </Stack>
  );
}
