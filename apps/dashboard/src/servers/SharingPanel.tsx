import { Button, Card, Group, Select, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { formatDateTime } from '../ui/format';
import type { ServerDetail } from './server-detail.query';

const TeamsQuery = graphql(`
  query ShareableTeams { teams(first: 100) { id name slug } }
`);
const ShareMutation = graphql(`
  mutation ShareServer($serverId: ID!, $teamId: ID!, $level: AccessLevel!) { shareServer(serverId: $serverId, teamId: $teamId, level: $level) { id } }
`);
const UnshareMutation = graphql(`
  mutation UnshareServer($serverId: ID!, $teamId: ID!) { unshareServer(serverId: $serverId, teamId: $teamId) { id } }
`);

type Level = ServerDetail['shares'][number]['level'];
const LEVELS: { value: Level; label: string }[] = [
  { value: 'VIEWER', label: 'Viewer: sees it and uses it in groups' },
  { value: 'EDITOR', label: 'Editor: also changes it' },
  { value: 'OWNER', label: 'Owner: also removes and shares it' },
];
const LEVEL_NAME: Record<Level, string> = { VIEWER: 'Viewer', EDITOR: 'Editor', OWNER: 'Owner' };

/** Teams whose members get access to the server. Sharing needs owner access (the hub says so otherwise). */
export function SharingPanel({ server, onChanged }: { server: ServerDetail; onChanged(): void }) {
  const [teams] = useQuery({ query: TeamsQuery });
  const [shared, share] = useMutation(ShareMutation);
  const [unshared, unshare] = useMutation(UnshareMutation);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [level, setLevel] = useState<Level>('VIEWER');
  const errors = fieldErrors(shared.error, '');
  const options = (teams.data?.teams ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.slug})` }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!teamId) return;
    void share({ serverId: server.id, teamId, level }).then((r) => {
      if (!r.data) return;
      notifications.show({ color: 'teal', message: 'Shared' });
      setTeamId(null);
      onChanged();
    });
  };
  return (
    <Stack gap="lg">
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Shared with
        </Title>
        <ErrorNotice error={unshared.error} />
        {server.shares.length === 0 ? (
          <Text size="sm" c="dimmed">
            No team. Only its owner and admins see this server.
          </Text>
        ) : (
          <Table>
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
              {server.shares.map((s) => (
                <Table.Tr key={s.teamId}>
                  <Table.Td>{s.teamName}</Table.Td>
                  <Table.Td>{LEVEL_NAME[s.level]}</Table.Td>
                  <Table.Td>{formatDateTime(s.sharedAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Stop sharing with ${s.teamName}`}
                      onClick={() => void unshare({ serverId: server.id, teamId: s.teamId }).then((r) => r.data && onChanged())}
                    >
                      Stop sharing
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder component="form" onSubmit={submit} noValidate>
        <Title order={2} size="h4" mb="xs">
          Share with a team
        </Title>
        {shared.error && !errors.teamId && !errors.level && <ErrorNotice error={shared.error} />}
        <Group align="flex-end">
          <Select
            label="Team"
            placeholder={options.length ? 'Choose a team' : 'You are in no team'}
            data={options}
            value={teamId}
            onChange={setTeamId}
            error={errors.teamId ?? (teams.error ? 'Teams cannot be listed' : undefined)}
            searchable
            miw={260}
          />
          <Select label="Access" data={LEVELS} value={level} onChange={(v) => v && setLevel(v as Level)} error={errors.level} allowDeselect={false} miw={300} />
          <Button type="submit" loading={shared.fetching} disabled={!teamId}>
            Share
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}
