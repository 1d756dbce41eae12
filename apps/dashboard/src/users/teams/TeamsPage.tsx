import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../graphql/graphql';
import { useSession } from '../../session/session';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTime } from '../../ui/format';
import { TeamFormModal } from './TeamForm';
import { teamRoleLabel } from './team-roles';

const TeamsQuery = graphql(`
  query Teams($first: Int, $offset: Int) {
    teams(first: $first, offset: $offset) { id name slug createdAt myRole members { userId } }
  }
`);

const PAGE_SIZE = 50;

/** The person's teams (admins and auditors: every team), by name. */
export default function TeamsPage() {
  const me = useSession().me!;
  const everyTeam = me.role !== 'MEMBER';
  const [creating, setCreating] = useState(false);
  const [pageCount, setPageCount] = useState(1);
  const [full, setFull] = useState<Record<number, boolean>>({});
  return (
    <>
      <PageHeader
        title="Teams"
        description={everyTeam ? 'Every team of the hub. Servers and groups are shared with teams.' : 'Your teams. Servers and groups are shared with teams.'}
        actions={
          me.role !== 'AUDITOR' && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              New team
            </Button>
          )
        }
      />
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Team</Table.Th>
              <Table.Th>Slug</Table.Th>
              <Table.Th>Members</Table.Th>
              <Table.Th>Your role</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          {Array.from({ length: pageCount }, (_, index) => (
            <TeamRows key={index} index={index} everyTeam={everyTeam} setFull={setFull} />
          ))}
        </Table>
      </Table.ScrollContainer>
      {full[pageCount - 1] && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => setPageCount((n) => n + 1)}>
            Show more teams
          </Button>
        </Group>
      )}
      {creating && <TeamFormModal opened onClose={() => setCreating(false)} />}
    </>
  );
}

function TeamRows({ index, everyTeam, setFull }: { index: number; everyTeam: boolean; setFull: Dispatch<SetStateAction<Record<number, boolean>>> }) {
  // Listed with the typename, so creating the first team refreshes an empty list too.
  const context = useMemo(() => ({ additionalTypenames: ['Team'] }), []);
  const [result] = useQuery({ query: TeamsQuery, variables: { first: PAGE_SIZE, offset: index * PAGE_SIZE }, context });
  const teams = result.data?.teams;
  const isFull = teams?.length === PAGE_SIZE;
  useEffect(() => {
    if (teams) setFull((current) => ({ ...current, [index]: isFull }));
  }, [teams, isFull, index, setFull]);
  if (!teams) {
    return (
      <Table.Tbody>
        <Table.Tr>
          <Table.Td colSpan={5}>{result.error ? <ErrorNotice error={result.error} title="Teams could not be loaded" /> : <Loading label="Loading teams" />}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    );
  }
  return (
    <Table.Tbody>
      {index === 0 && teams.length === 0 && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <Text c="dimmed" size="sm" py="md" ta="center">
              {everyTeam ? 'This hub has no team yet.' : 'You are in no team yet. Create one, or ask a team owner to add you.'}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      {teams.map((team) => (
        <Table.Tr key={team.id}>
          <Table.Td>
            <Anchor component={Link} to={`/teams/${team.id}`} fw={500}>
              {team.name}
            </Anchor>
          </Table.Td>
          <Table.Td>
            <Text size="sm" ff="monospace">
              {team.slug}
            </Text>
          </Table.Td>
          <Table.Td>{team.members.length}</Table.Td>
          <Table.Td>
            {team.myRole ? (
              <Badge variant="light" color={team.myRole === 'OWNER' ? 'indigo' : 'gray'}>
                {teamRoleLabel(team.myRole)}
              </Badge>
            ) : (
              <Text size="sm" c="dimmed">
                Not a member
              </Text>
            )}
          </Table.Td>
          <Table.Td>{formatDateTime(team.createdAt)}</Table.Td>
        </Table.Tr>
      ))}
    </Table.Tbody>
  );
}
