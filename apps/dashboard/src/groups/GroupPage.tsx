import { Anchor, Breadcrumbs, Button, Group, Modal, Stack, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { RoutingRulesPanel } from '../routing-rules/RoutingRulesPanel';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { fieldErrors } from '../ui/errors';
import { ClientConfigFields } from './client-snippets';
import { GroupConnect } from './GroupConnect';
import { GroupMembers } from './GroupMembers';
import { GroupNaming } from './GroupNaming';
import { GroupRevisions } from './GroupRevisions';
import { GroupSharing } from './GroupSharing';
import { GroupToolFilter } from './GroupToolFilter';
import { GroupToolPinning } from './GroupToolPinning';

export const GroupDetailQuery = graphql(`
  query GroupDetail($slug: String!) {
    group(slug: $slug) {
      id name slug description ownerId toolNaming toolFilterMode toolFilter createdAt updatedAt
      servers { id name slug transport enabled lastError capabilities { discoveredAt } replicas { id name } }
      tools { name qualifiedName toolName description serverId serverSlug exposed }
      namingCollisions { kind name resolution servers { serverId serverSlug name serves } }
      endpoints { streamableHttp sse }
      clientConfigs { ...ClientConfigFields }
      shares { teamId teamName teamSlug level sharedAt }
    }
  }
`, [ClientConfigFields]);

export type GroupDetail = ResultOf<typeof GroupDetailQuery>['group'];

const UpdateGroupMutation = graphql(`
  mutation UpdateGroupDetails($id: ID!, $input: UpdateGroupInput!) {
    updateGroup(id: $id, input: $input) { id name slug description updatedAt }
  }
`);

const RemoveGroupMutation = graphql(`
  mutation RemoveGroup($id: ID!) { removeGroup(id: $id) }
`);

const TABS = [
  { value: 'members', label: 'Servers' },
  { value: 'naming', label: 'Tool names' },
  { value: 'tools', label: 'Tool filter' },
  { value: 'connect', label: 'Connect' },
  { value: 'rules', label: 'Routing rules' },
  { value: 'revisions', label: 'Revisions' },
  { value: 'sharing', label: 'Sharing' },
] as const;
type TabValue = (typeof TABS)[number]['value'];

export default function GroupPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [result, refetch] = useQuery({ query: GroupDetailQuery, variables: { slug } });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const tab: TabValue = TABS.some((t) => t.value === params.get('tab')) ? (params.get('tab') as TabValue) : 'members';
  const group = result.data?.group;

  if (!group) {
    return (
      <>
        <PageHeader title={result.error ? 'Group not found' : 'Group'} />
        {result.error ? <ErrorNotice error={result.error} title="This group cannot be shown" /> : <Loading label="Loading the group" />}
        <Anchor component={Link} to="/groups">
          Back to the groups
        </Anchor>
      </>
    );
  }
  return (
    <>
      <Breadcrumbs mb="xs" aria-label="Breadcrumb">
        <Anchor component={Link} to="/groups" size="sm">
          Groups
        </Anchor>
        <Text size="sm" aria-current="page">
          {group.name}
        </Text>
      </Breadcrumbs>
      <PageHeader
        title={group.name}
        description={group.description ?? `Endpoint slug ${group.slug}`}
        actions={
          <>
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
              Edit details
            </Button>
            <Button variant="default" leftSection={<IconTrash size={16} color="var(--mantine-color-red-filled)" aria-hidden />} onClick={() => setDeleting(true)}>
              Delete group
            </Button>
          </>
        }
      />
      <ErrorNotice error={result.error} title="The group could not be refreshed" />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'members' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List aria-label="Group settings" mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="members">
          <GroupMembers group={group} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="naming">
          <GroupNaming group={group} />
        </Tabs.Panel>
        <Tabs.Panel value="tools">
          <GroupToolFilter group={group} />
          <GroupToolPinning slug={group.slug} />
        </Tabs.Panel>
        <Tabs.Panel value="connect">
          <GroupConnect group={group} />
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <RoutingRulesPanel groupId={group.id} servers={group.servers} tools={group.tools} />
        </Tabs.Panel>
        <Tabs.Panel value="revisions">
          <GroupRevisions group={group} onRolledBack={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="sharing">
          <GroupSharing group={group} />
        </Tabs.Panel>
      </Tabs>
      {editing && <EditGroupModal group={group} onClose={() => setEditing(false)} />}
      {deleting && <DeleteGroupModal group={group} onClose={() => setDeleting(false)} />}
    </>
  );
}

function EditGroupModal({ group, onClose }: { group: GroupDetail; onClose(): void }) {
  const navigate = useNavigate();
  const [state, update] = useMutation(UpdateGroupMutation);
  const [name, setName] = useState(group.name);
  const [slug, setSlug] = useState(group.slug);
  const [description, setDescription] = useState(group.description ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await update({ id: group.id, input: { name, slug, description: description.trim() || null } });
    if (!result.data) return;
    notifications.show({ color: 'teal', message: 'Group details saved' });
    onClose();
    if (result.data.updateGroup.slug !== group.slug) navigate(`/groups/${result.data.updateGroup.slug}`, { replace: true });
  }

  const errors = fieldErrors(state.error);
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Edit group details">
      <form onSubmit={submit}>
        <Stack>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Not saved" />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus />
          <TextInput
            label="Slug"
            description="Changing it changes the endpoint URLs: agents configured with the old URL stop working"
            required
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={errors.slug}
          />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteGroupModal({ group, onClose }: { group: GroupDetail; onClose(): void }) {
  const navigate = useNavigate();
  const [state, remove] = useMutation(RemoveGroupMutation);
  async function confirm() {
    const result = await remove({ id: group.id });
    if (!result.data?.removeGroup) return;
    notifications.show({ color: 'teal', message: `Group ${group.name} deleted` });
    navigate('/groups');
  }
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Delete group ${group.name}?`}>
      <Stack>
        <Text size="sm">
          Its endpoint stops answering at once, and its routing rules and revisions go with it. The servers stay registered.
        </Text>
        <ErrorNotice error={state.error} title="Not deleted" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep the group
          </Button>
          <Button color="red.9" onClick={() => void confirm()} loading={state.fetching}>
            Delete group
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
