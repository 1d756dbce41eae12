import { Anchor, Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql/graphql';
import { useSession } from '../../session/session';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { fieldErrors } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { TeamFormModal } from './TeamForm';
import { TEAM_ROLES, teamRoleLabel, type TeamRoleName } from './team-roles';

const TeamQuery = graphql(`
  query Team($id: ID!) {
    team(id: $id) { id name slug createdAt myRole members { userId email displayName role joinedAt } }
  }
`);
const AddMemberMutation = graphql(`
  mutation AddTeamMember($teamId: ID!, $email: String!, $role: TeamRole) {
    addTeamMember(teamId: $teamId, email: $email, role: $role) { id myRole members { userId email displayName role joinedAt } }
  }
`);
const SetRoleMutation = graphql(`
  mutation SetTeamMemberRole($teamId: ID!, $userId: ID!, $role: TeamRole!) {
    setTeamMemberRole(teamId: $teamId, userId: $userId, role: $role) { id myRole members { userId email displayName role joinedAt } }
  }
`);
const RemoveMemberMutation = graphql(`
  mutation RemoveTeamMember($teamId: ID!, $userId: ID!) {
    removeTeamMember(teamId: $teamId, userId: $userId) { id myRole members { userId email displayName role joinedAt } }
  }
`);
const DeleteTeamMutation = graphql(`
  mutation DeleteTeam($id: ID!) { deleteTeam(id: $id) }
`);

type Team = ResultOf<typeof TeamQuery>['team'];
type Member = Team['members'][number];

/** A team's members. Its OWNERs and admins change them; everyone else who sees the team reads them. */
export default function TeamPage() {
  const { id } = useParams<{ id: string }>();
  const [result] = useQuery({ query: TeamQuery, variables: { id: id! } });
  const team = result.data?.team;
  if (!team) {
    return result.error ? (
      <>
        <PageHeader title="Team" />
        <ErrorNotice error={result.error} title="This team cannot be shown" />
        <Anchor component={Link} to="/teams">
          Back to teams
        </Anchor>
      </>
    ) : (
      <Loading label="Loading the team" />
    );
  }
  return <TeamView team={team} />;
}

function TeamView({ team }: { team: Team }) {
  const me = useSession().me!;
  const navigate = useNavigate();
  const canManage = me.role === 'ADMIN' || (me.role === 'MEMBER' && team.myRole === 'OWNER');
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [roleState, setRole] = useMutation(SetRoleMutation);
  const [removeState, remove] = useMutation(RemoveMemberMutation);
  const [deleteState, deleteTeam] = useMutation(DeleteTeamMutation);
  const nameOf = (m: Member) => m.displayName ?? m.email;

  async function confirmRemove(member: Member) {
    const res = await remove({ teamId: team.id, userId: member.userId });
    if (!res.data) return;
    setRemoving(null);
    notifications.show({ color: 'teal', message: `${nameOf(member)} left ${team.name}` });
    // Someone who is no longer in the team may not see it any more.
    if (member.userId === me.id && me.role === 'MEMBER') navigate('/teams');
  }

  async function confirmDelete() {
    const res = await deleteTeam({ id: team.id }, { additionalTypenames: ['Team'] });
    if (res.error) return;
    notifications.show({ color: 'teal', message: `Team ${team.name} deleted` });
    navigate('/teams');
  }

  return (
    <>
      <PageHeader
        title={team.name}
        description={
          <>
            Slug <Text span ff="monospace">{team.slug}</Text> · created {formatDateTime(team.createdAt)}
            {team.myRole ? ` · you are ${teamRoleLabel(team.myRole).toLowerCase()}` : ''}
          </>
        }
        actions={
          canManage && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setRenaming(true)}>
                Rename
              </Button>
              <Button color="red" variant="light" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDeleting(true)}>
                Delete team
              </Button>
            </>
          )
        }
      />
      <Anchor component={Link} to="/teams" size="sm">
        All teams
      </Anchor>
      {canManage && <AddMemberForm teamId={team.id} />}
      <Card withBorder mt="lg">
        <Title order={2} size="h4" mb="sm">
          Members
        </Title>
        <ErrorNotice error={roleState.error} title="Role not changed" />
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Team role</Table.Th>
                <Table.Th>Joined</Table.Th>
                {canManage && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {team.members.map((member) => (
                <Table.Tr key={member.userId}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <div>
                        <Text size="sm" fw={500}>
                          {nameOf(member)}
                        </Text>
                        {member.displayName && (
                          <Text size="xs" c="dimmed">
                            {member.email}
                          </Text>
                        )}
                      </div>
                      {member.userId === me.id && (
                        <Badge size="sm" variant="outline">
                          You
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {canManage ? (
                      <NativeSelect
                        aria-label={`Team role of ${member.email}`}
                        data={TEAM_ROLES.map((r) => ({ value: r.value, label: r.label }))}
                        value={member.role}
                        disabled={roleState.fetching}
                        onChange={(e) => void setRole({ teamId: team.id, userId: member.userId, role: e.currentTarget.value as TeamRoleName })}
                        w={140}
                      />
                    ) : (
                      <Badge variant="light" color={member.role === 'OWNER' ? 'indigo' : 'gray'}>
                        {teamRoleLabel(member.role)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(member.joinedAt)}</Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(member)} aria-label={`Remove ${member.email} from the team`}>
                        Remove
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {renaming && <TeamFormModal opened team={team} onClose={() => setRenaming(false)} />}
      <ConfirmModal
        opened={deleting}
        title={`Delete team ${team.name}`}
        confirmLabel="Delete team"
        loading={deleteState.fetching}
        error={deleteState.error}
        onClose={() => setDeleting(false)}
        onConfirm={() => void confirmDelete()}
      >
        Its {team.members.length} member{team.members.length === 1 ? '' : 's'} lose what was shared with the team at once. Servers and groups themselves stay with their owners.
      </ConfirmModal>
      {removing && (
        <ConfirmModal
          opened
          title={`Remove ${nameOf(removing)}`}
          confirmLabel="Remove from team"
          loading={removeState.fetching}
          error={removeState.error}
          onClose={() => setRemoving(null)}
          onConfirm={() => void confirmRemove(removing)}
        >
          {removing.userId === me.id ? 'You' : nameOf(removing)} lose{removing.userId === me.id ? '' : 's'} what was shared with {team.name} at once.
        </ConfirmModal>
      )}
    </>
  );
}

function AddMemberForm({ teamId }: { teamId: string }) {
  const [state, add] = useMutation(AddMemberMutation);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRoleName>('MEMBER');
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await add({ teamId, email: email.trim(), role });
    if (result.data) {
      notifications.show({ color: 'teal', message: `${email.trim()} added as ${teamRoleLabel(role).toLowerCase()}` });
      setEmail('');
      setRole('MEMBER');
    }
  }
  const errors = fieldErrors(state.error, '');
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="add-member-title">
      <Title order={2} size="h4" id="add-member-title">
        Add a member
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Someone who already has an account on this hub.
      </Text>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <ErrorNotice error={state.error && !errors.email ? state.error : null} title="Member not added" />
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errors.email}
              w={320}
            />
            <NativeSelect label="Team role" data={TEAM_ROLES.map((r) => ({ value: r.value, label: r.label }))} value={role} onChange={(e) => setRole(e.currentTarget.value as TeamRoleName)} />
            {/* Level with the inputs: their one-line labels are inline blocks on a line of the body font size. */}
            <Button type="submit" mt="calc(1rem * var(--mantine-line-height))" loading={state.fetching} leftSection={<IconUserPlus size={16} aria-hidden />}>
              Add member
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
