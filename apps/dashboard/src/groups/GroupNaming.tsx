import { Badge, Button, Card, Code, Group, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import type { GroupDetail } from './GroupPage';
import { NAMING_HELP, NAMING_LABEL, NAMING_MODES, type ToolNaming } from './tool-naming';

const UpdateNamingMutation = graphql(`
  mutation UpdateGroupNaming($id: ID!, $input: UpdateGroupInput!) {
    updateGroup(id: $id, input: $input) {
      id toolNaming
      tools { name qualifiedName toolName description serverId serverSlug exposed }
      namingCollisions { kind name resolution servers { serverId serverSlug name serves } }
    }
  }
`);

const KIND_LABEL = { TOOL: 'Tool', PROMPT: 'Prompt', RESOURCE: 'Resource' } as const;

/** How the group names its servers' tools and prompts, and the names (or URIs) two servers share. */
export function GroupNaming({ group }: { group: GroupDetail }) {
  const [state, save] = useMutation(UpdateNamingMutation);
  const [mode, setMode] = useState<ToolNaming>(group.toolNaming);
  const dirty = mode !== group.toolNaming;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await save({ id: group.id, input: { toolNaming: mode } });
    if (result.data) notifications.show({ color: 'teal', message: `Tool names saved: agents see ${NAMING_LABEL[mode].toLowerCase()} names now` });
  }

  const errors = fieldErrors(state.error);
  return (
    <Stack>
      <form onSubmit={submit}>
        <Card withBorder>
          <Stack>
            <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Tool names not saved" />
            <Radio.Group
              label="How agents see tool and prompt names"
              description="Tool filters and routing rules keep working when this changes: they match a tool by any of its names."
              value={mode}
              onChange={(value) => setMode(value as ToolNaming)}
              error={errors.toolNaming}
            >
              <Stack mt="xs" gap="sm">
                {NAMING_MODES.map((m) => (
                  <Radio key={m} value={m} label={NAMING_LABEL[m]} description={NAMING_HELP[m]} />
                ))}
              </Stack>
            </Radio.Group>
            <Group>
              <Button type="submit" loading={state.fetching} disabled={!dirty}>
                Save tool names
              </Button>
              {dirty && (
                <Button variant="subtle" onClick={() => setMode(group.toolNaming)}>
                  Undo changes
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      </form>
      <NamingCollisions collisions={group.namingCollisions} />
    </Stack>
  );
}

function NamingCollisions({ collisions }: { collisions: GroupDetail['namingCollisions'] }) {
  return (
    <Card withBorder p={0} component="section" aria-labelledby="collisions-title">
      <Stack gap={4} p="md" pb={collisions.length ? 0 : 'md'}>
        <Title order={2} size="h4" id="collisions-title">
          Shared names
        </Title>
        <Text size="sm" c="dimmed">
          {collisions.length
            ? 'Names and resource URIs more than one server of the group offers (as of their last discovery), and who serves each.'
            : 'No two servers of the group offer the same tool name, prompt name or resource URI (as of their last discovery).'}
        </Text>
      </Stack>
      {collisions.length > 0 && (
        // No scroll container: it would be a scrollable region without anything to focus (axe).
        <Table>
          <Table.Caption>Shared names, in group order</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Name or URI</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Servers</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {collisions.map((c) => (
              <Table.Tr key={`${c.kind}:${c.name}`}>
                <Table.Td>{KIND_LABEL[c.kind]}</Table.Td>
                <Table.Td>
                  <Code>{c.name}</Code>
                </Table.Td>
                <Table.Td>
                  {c.resolution === 'PREFIXED' ? (
                    <Badge variant="dot" color="teal" style={{ minWidth: 'max-content' }}>
                      Each prefixed
                    </Badge>
                  ) : (
                    <Badge variant="dot" color="orange" style={{ minWidth: 'max-content' }}>
                      First server serves
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {c.servers.map((s) => (
                      <Text size="sm" key={s.serverId}>
                        {s.serverSlug}:{' '}
                        {!s.serves ? (
                          <Text span c="dimmed" size="sm">
                            hidden
                          </Text>
                        ) : c.kind === 'RESOURCE' ? (
                          'serves it'
                        ) : (
                          <Code>{s.name}</Code>
                        )}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
