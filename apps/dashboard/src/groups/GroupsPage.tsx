import { Anchor, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { fieldErrors } from '../ui/errors';
import { formatDateTime } from '../ui/format';
import { ImportClientConfigModal } from './ImportClientConfigModal';
import { FILTER_MODE_LABEL } from './tool-filter';
import { NAMING_HELP, NAMING_LABEL, NAMING_MODES, type ToolNaming } from './tool-naming';

/** The hub's page size limit. */
const PAGE = 100;

const GroupsQuery = graphql(`
  query Groups($first: Int!, $offset: Int!) {
    groups(first: $first, offset: $offset) {
      id name slug description toolFilterMode createdAt
      servers { id }
    }
  }
`);

const CreateGroupMutation = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) { id slug }
  }
`);

export default function GroupsPage() {
  const [pages, setPages] = useState(1);
  const [groups] = useQuery({ query: GroupsQuery, variables: { first: PAGE * pages, offset: 0 } });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = groups.data?.groups ?? [];
  return (
    <>
      <PageHeader
        title="Groups"
        description="A group is one MCP endpoint for agents: the tools of its servers, filtered and routed by its rules."
        actions={
          <Group>
            <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={() => setImporting(true)}>
              Import from a client config
            </Button>
            {!creating && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
                New group
              </Button>
            )}
          </Group>
        }
      />
      <ImportClientConfigModal opened={importing} onClose={() => setImporting(false)} />
      {creating && <CreateGroupForm onCancel={() => setCreating(false)} />}
      <ErrorNotice error={groups.error} title="Groups could not be loaded" />
      {groups.fetching && !groups.data ? (
        <Loading label="Loading groups" />
      ) : list.length === 0 ? (
        !groups.error && (
          <Card withBorder>
            <Text>No groups yet. Create one, add servers to it, and give its endpoint to your agents.</Text>
          </Card>
        )
      ) : (
        <Card withBorder p={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Caption>Groups you may see</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Endpoint slug</Table.Th>
                  <Table.Th>Servers</Table.Th>
                  <Table.Th>Tool filter</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((g) => (
                  <Table.Tr key={g.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/groups/${g.slug}`} fw={600}>
                        {g.name}
                      </Anchor>
                      {g.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {g.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {g.slug}
                      </Text>
                    </Table.Td>
                    <Table.Td>{g.servers.length}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={g.toolFilterMode === 'NONE' ? 'gray' : 'indigo'}>
                        {FILTER_MODE_LABEL[g.toolFilterMode]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(g.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {list.length >= PAGE * pages && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => setPages((p) => p + 1)} loading={groups.fetching}>
            Show more groups
          </Button>
        </Group>
      )}
    </>
  );
}

function CreateGroupForm({ onCancel }: { onCancel(): void }) {
  const navigate = useNavigate();
  const [state, create] = useMutation(CreateGroupMutation);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [description, setDescription] = useState('');
  const [toolNaming, setToolNaming] = useState<ToolNaming>('PREFIX_WHEN_NEEDED');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { name, slug: slug.trim() || null, description: description.trim() || null, toolNaming } });
    if (result.data) {
      notifications.show({ color: 'teal', message: `Group ${name} created` });
      navigate(`/groups/${result.data.createGroup.slug}`);
    }
  }

  const errors = fieldErrors(state.error);
  return (
    <Card withBorder mb="lg" component="section" aria-labelledby="new-group-title">
      <Title order={2} size="h4" mb="sm" id="new-group-title">
        New group
      </Title>
      <form onSubmit={submit}>
        <Stack>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Group not created" />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus autoFocus />
          <TextInput
            label="Slug"
            description="Part of the endpoint URL (/mcp/<slug>); derived from the name when left empty"
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={errors.slug}
          />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />
          <Select
            label="Tool names"
            description={NAMING_HELP[toolNaming]}
            data={NAMING_MODES.map((m) => ({ value: m, label: NAMING_LABEL[m] }))}
            value={toolNaming}
            onChange={(value) => value && setToolNaming(value as ToolNaming)}
            allowDeselect={false}
            error={errors.toolNaming}
          />
          <Group>
            <Button type="submit" loading={state.fetching}>
              Create group
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
