import { Badge, Button, Card, Checkbox, Fieldset, Group, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import type { GroupDetail } from './GroupPage';
import { FILTER_MODE_HELP, FILTER_MODE_LABEL, type ToolFilterMode } from './tool-filter';
import { filterOf, selectionOf, toolKey } from './tool-filter-selection';

const UpdateFilterMutation = graphql(`
  mutation UpdateGroupToolFilter($id: ID!, $input: UpdateGroupInput!) {
    updateGroup(id: $id, input: $input) { id toolFilterMode toolFilter tools { name qualifiedName exposed } }
  }
`);

const MODES: ToolFilterMode[] = ['NONE', 'ALLOW', 'DENY'];

/**
 * The members' real tools (as of their last discovery), under the names agents see, as checkboxes. A checked tool is
 * stored by its prefixed name, which names the same tool in every naming mode.
 */
export function GroupToolFilter({ group }: { group: GroupDetail }) {
  const [state, save] = useMutation(UpdateFilterMutation);
  const [mode, setMode] = useState<ToolFilterMode>(group.toolFilterMode);
  const initial = useMemo(() => selectionOf(group.toolFilter, group.tools), [group.toolFilter, group.tools]);
  const [checked, setChecked] = useState<string[]>(() => [...initial.checked, ...initial.unknown]);
  const byServer = useMemo(() => {
    const map = new Map<string, GroupDetail['tools']>();
    for (const tool of group.tools) map.set(tool.serverId, [...(map.get(tool.serverId) ?? []), tool]);
    return map;
  }, [group.tools]);
  // Listed names no member offers now (removed server, renamed tool): shown so they can be unchecked.
  const unknown = initial.unknown;
  const undiscovered = group.servers.filter((s) => !s.capabilities);
  const sorted = (list: readonly string[]) => [...list].sort().join('\n');
  const dirty = mode !== group.toolFilterMode || sorted(checked) !== sorted([...initial.checked, ...initial.unknown]);
  const visibleCount = visibleTools(group.tools, mode, checked);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await save({ id: group.id, input: { toolFilterMode: mode, toolFilter: filterOf(checked) } });
    if (result.data) notifications.show({ color: 'teal', message: 'Tool filter saved: agents see the new tool list now' });
  }

  const errors = fieldErrors(state.error);
  return (
    <form onSubmit={submit}>
      <Stack>
        <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Tool filter not saved" />
        <Card withBorder>
          <Radio.Group
            label="Which tools agents see"
            description={FILTER_MODE_HELP[mode]}
            value={mode}
            onChange={(value) => setMode(value as ToolFilterMode)}
            error={errors.toolFilterMode}
          >
            <Group mt="xs">
              {MODES.map((m) => (
                <Radio key={m} value={m} label={FILTER_MODE_LABEL[m]} />
              ))}
            </Group>
          </Radio.Group>
        </Card>
        {undiscovered.length > 0 && (
          <Text size="sm" c="dimmed">
            Tools of {undiscovered.map((s) => s.name).join(', ')} are not known yet: use “Discover tools” on the Servers tab.
          </Text>
        )}
        {group.tools.length === 0 && unknown.length === 0 ? (
          <Card withBorder>
            <Text size="sm">No tools to choose from: add servers to the group and discover their tools.</Text>
          </Card>
        ) : (
          <Checkbox.Group value={checked} onChange={setChecked} label={mode === 'DENY' ? 'Tools to hide' : 'Tools to offer'} error={errors.toolFilter}>
            <Stack mt="xs">
              {group.servers
                .filter((s) => byServer.has(s.id))
                .map((server) => (
                  <Fieldset key={server.id} legend={`${server.name} (${byServer.get(server.id)!.length} tools)`}>
                    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
                      {byServer.get(server.id)!.map((tool) => (
                        <Checkbox
                          key={toolKey(tool)}
                          value={toolKey(tool)}
                          disabled={mode === 'NONE'}
                          label={<Text ff="monospace" size="sm">{tool.name}</Text>}
                          description={tool.description ? <Text size="xs" c="dimmed" lineClamp={2}>{tool.description}</Text> : undefined}
                        />
                      ))}
                    </SimpleGrid>
                  </Fieldset>
                ))}
              {unknown.length > 0 && (
                <Fieldset legend="Listed, but no member offers them now">
                  <Stack gap="xs">
                    {unknown.map((name) => (
                      <Checkbox key={name} value={name} label={<Text ff="monospace" size="sm">{name}</Text>} />
                    ))}
                  </Stack>
                </Fieldset>
              )}
            </Stack>
          </Checkbox.Group>
        )}
        <Group>
          <Button type="submit" loading={state.fetching} disabled={!dirty}>
            Save tool filter
          </Button>
          <Badge variant="light" size="lg" aria-live="polite">
            Agents see {visibleCount} of {group.tools.length} tools
          </Badge>
          {dirty && (
            <Button
              variant="subtle"
              onClick={() => {
                setMode(group.toolFilterMode);
                setChecked([...initial.checked, ...initial.unknown]);
              }}
            >
              Undo changes
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** How many distinct names agents would see: a name two visible tools share counts once (the first serves it). */
function visibleTools(tools: GroupDetail['tools'], mode: ToolFilterMode, checked: readonly string[]): number {
  const visible = tools.filter((t) => (mode === 'NONE' ? true : mode === 'ALLOW' ? checked.includes(toolKey(t)) : !checked.includes(toolKey(t))));
  return new Set(visible.map((t) => t.name)).size;
}
