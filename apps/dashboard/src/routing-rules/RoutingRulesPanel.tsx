import { ActionIcon, Badge, Button, Card, Group, Modal, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { ExplainRoutePanel } from './ExplainRoutePanel';
import { draftOf, newDraft } from './rule-draft';
import { RuleFormModal, type RuleServer } from './RuleFormModal';
import { describeAction, describeConditions } from './rule-text';

const RulesQuery = graphql(`
  query GroupRoutingRules($groupId: ID!) {
    routingRules(groupId: $groupId) {
      id name priority enabled
      conditions { tool { glob regex } arguments { path op value pattern min max } keys { keyIds tags } }
      action { type serverId replicaId timeoutMs message serverIds }
    }
  }
`);

const RemoveRuleMutation = graphql(`
  mutation RemoveRoutingRule($id: ID!) { removeRoutingRule(id: $id) }
`);

type Rule = ResultOf<typeof RulesQuery>['routingRules'][number];

/** The group's rules in evaluation order: the first enabled rule that matches a call decides where it goes. */
export function RoutingRulesPanel({ groupId, servers, tools }: { groupId: string; servers: readonly RuleServer[]; tools: readonly { name: string }[] }) {
  const [rules, refetch] = useQuery({ query: RulesQuery, variables: { groupId } });
  const [editing, setEditing] = useState<{ rule?: Rule } | null>(null);
  const [removing, setRemoving] = useState<Rule | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const list = rules.data?.routingRules ?? [];
  const serverNames = new Map(servers.map((s) => [s.id, s.slug]));
  const nextPriority = list.length ? Math.max(...list.map((r) => r.priority)) + 10 : 10;

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          Without rules a call goes to the server whose slug starts the tool name. Rules are tried in priority order; the first enabled one that matches decides.
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing({})}>
          New rule
        </Button>
      </Group>
      <ErrorNotice error={rules.error} title="Rules could not be loaded" />
      {rules.fetching && !rules.data ? (
        <Loading label="Loading routing rules" />
      ) : (
        <Card withBorder p={0}>
          {list.length === 0 ? (
            <Text p="md">No routing rules: every call goes to the server that owns the tool name.</Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table>
                <Table.Caption>Routing rules in evaluation order</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Priority</Table.Th>
                    <Table.Th>Rule</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Then</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((rule) => (
                    <Table.Tr key={rule.id}>
                      <Table.Td>{rule.priority}</Table.Td>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {rule.name}
                        </Text>
                        {!rule.enabled && (
                          <Badge color="gray" variant="light">
                            disabled
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{describeConditions(rule.conditions).join(' and ')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={rule.action.type === 'DENY' ? 'red' : 'indigo'} mr={4}>
                          {rule.action.type.toLowerCase()}
                        </Badge>
                        <Text size="sm" span>
                          {describeAction(rule.action, serverNames)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Tooltip label={`Edit rule ${rule.name}`}>
                            <ActionIcon variant="subtle" color="gray" onClick={() => setEditing({ rule })} aria-label={`Edit rule ${rule.name}`}>
                              <IconPencil size={16} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label={`Remove rule ${rule.name}`}>
                            <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(rule)} aria-label={`Remove rule ${rule.name}`}>
                              <IconTrash size={16} aria-hidden />
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
      )}
      <ExplainRoutePanel groupId={groupId} tools={tools} />
      {editing && (
        <RuleFormModal
          groupId={groupId}
          ruleId={editing.rule?.id}
          initial={editing.rule ? draftOf(editing.rule) : newDraft(nextPriority)}
          servers={servers}
          onClose={() => setEditing(null)}
          onSaved={() => {
            notifications.show({ color: 'teal', message: editing.rule ? 'Rule saved' : 'Rule created: it applies to the next call' });
            setEditing(null);
            reload();
          }}
        />
      )}
      {removing && (
        <RemoveRuleModal
          rule={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            reload();
          }}
        />
      )}
    </Stack>
  );
}

function RemoveRuleModal({ rule, onClose, onRemoved }: { rule: Rule; onClose(): void; onRemoved(): void }) {
  const [state, remove] = useMutation(RemoveRuleMutation);
  async function confirm() {
    const result = await remove({ id: rule.id });
    if (!result.data?.removeRoutingRule) return;
    notifications.show({ color: 'teal', message: `Rule ${rule.name} removed` });
    onRemoved();
  }
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Remove rule ${rule.name}?`}>
      <Stack>
        <Text size="sm">Calls it matched are routed by the remaining rules, or by the tool name. A revision lets you undo this.</Text>
        <ErrorNotice error={state.error} title="Not removed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" onClick={() => void confirm()} loading={state.fetching}>
            Remove rule
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
