import { Button, Card, Group, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';

const GroupPinningQuery = graphql(`
  query GroupToolPinning($slug: String!) { group(slug: $slug) { id toolPinning } }
`);

const UpdatePinningMutation = graphql(`
  mutation UpdateGroupToolPinning($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { id toolPinning } }
`);

type Mode = 'OFF' | 'WARN' | 'ENFORCE';
const MODES: { value: Mode; label: string; help: string }[] = [
  { value: 'OFF', label: 'Off', help: 'Changed tool definitions are served as they are and nobody is told.' },
  {
    value: 'WARN',
    label: 'Warn',
    help: "Changed tool definitions are still served; the server's owner is told and sees the change on the server's page.",
  },
  {
    value: 'ENFORCE',
    label: 'Enforce',
    help: "A tool whose definition changed is hidden from agents and calls to it are refused until someone who may edit its server approves the change.",
  },
];

/**
 * Tool pinning for one group: what happens when a member server changes a tool's name, description or input schema
 * after it was approved (the first definition the hub saw is approved on trust).
 */
export function GroupToolPinning({ slug }: { slug: string }) {
  const [loaded] = useQuery({ query: GroupPinningQuery, variables: { slug } });
  const [state, save] = useMutation(UpdatePinningMutation);
  const saved = loaded.data?.group.toolPinning;
  const [mode, setMode] = useState<Mode | undefined>(saved);
  useEffect(() => setMode(saved), [saved]);
  if (!loaded.data || !mode) return <ErrorNotice error={loaded.error} title="Tool pinning cannot be shown" />;
  const groupId = loaded.data.group.id;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await save({ id: groupId, input: { toolPinning: mode } });
    if (result.data) notifications.show({ color: 'teal', message: `Tool pinning is ${result.data.updateGroup.toolPinning} for this group now` });
  }

  const errors = fieldErrors(state.error);
  return (
    <form onSubmit={submit}>
      <Card withBorder mt="md">
        <Stack>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Tool pinning not saved" />
          <Radio.Group
            label="Tool pinning (changed tool definitions)"
            description={MODES.find((m) => m.value === mode)!.help}
            value={mode}
            onChange={(value) => setMode(value as Mode)}
            error={errors.toolPinning}
          >
            <Group mt="xs">
              {MODES.map((m) => (
                <Radio key={m.value} value={m.value} label={m.label} />
              ))}
            </Group>
          </Radio.Group>
          <Text size="xs" c="dimmed">
            A server that changes what a tool says it does after you trusted it can steer agents (a “rug pull”). Changes are approved on the server's page.
          </Text>
          <Group>
            <Button type="submit" loading={state.fetching} disabled={mode === saved}>
              Save tool pinning
            </Button>
          </Group>
        </Stack>
      </Card>
    </form>
  );
}
