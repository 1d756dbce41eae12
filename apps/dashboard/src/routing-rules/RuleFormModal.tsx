import { ActionIcon, Button, Fieldset, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { EMPTY_ARGUMENT, inputOf, type ActionType, type ArgumentDraft, type ArgumentOp, type RuleDraft, type ToolKind } from './rule-draft';

const KeysQuery = graphql(`
  query RuleKeyChoices {
    apiKeys(first: 100) { nodes { id name prefix revokedAt } }
  }
`);

const CreateRuleMutation = graphql(`
  mutation CreateRoutingRule($input: CreateRoutingRuleInput!) {
    createRoutingRule(input: $input) { id }
  }
`);

const UpdateRuleMutation = graphql(`
  mutation UpdateRoutingRule($id: ID!, $input: UpdateRoutingRuleInput!) {
    updateRoutingRule(id: $id, input: $input) { id }
  }
`);

export interface RuleServer {
  id: string;
  name: string;
  slug: string;
  replicas: readonly { id: string; name: string }[];
}

const ACTIONS: { value: ActionType; label: string }[] = [
  { value: 'ROUTE', label: 'Route to another server of the group' },
  { value: 'FALLBACK', label: 'Try servers in order (fallback)' },
  { value: 'TIMEOUT', label: 'Keep the usual server, with a timeout' },
  { value: 'DENY', label: 'Deny the call' },
];
const TOOL_KINDS: { value: ToolKind; label: string }[] = [
  { value: 'ANY', label: 'Any tool' },
  { value: 'GLOB', label: 'Name matches a glob' },
  { value: 'REGEX', label: 'Name matches a regular expression' },
];
const OPS: { value: ArgumentOp; label: string }[] = [
  { value: 'EQUALS', label: 'equals' },
  { value: 'REGEX', label: 'matches regex' },
  { value: 'RANGE', label: 'is within range' },
];

/** Create (ruleId absent) or edit a rule; the hub validates and names the field of any problem. */
export function RuleFormModal(props: { groupId: string; ruleId?: string; initial: RuleDraft; servers: readonly RuleServer[]; onClose(): void; onSaved(): void }) {
  const { groupId, ruleId, servers } = props;
  const [draft, setDraft] = useState<RuleDraft>(props.initial);
  const [keys] = useQuery({ query: KeysQuery });
  const [created, create] = useMutation(CreateRuleMutation);
  const [updated, update] = useMutation(UpdateRuleMutation);
  const state = ruleId ? updated : created;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setArg = (index: number, patch: Partial<ArgumentDraft>) => set('args', draft.args.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  const serverChoices = servers.map((s) => ({ value: s.id, label: `${s.name} (${s.slug})` }));
  const replicas = servers.find((s) => s.id === draft.serverId)?.replicas ?? [];
  const keyChoices = (keys.data?.apiKeys.nodes ?? []).filter((k) => !k.revokedAt || draft.keyIds.includes(k.id)).map((k) => ({ value: k.id, label: `${k.name} (${k.prefix})` }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = inputOf(draft);
    const result = ruleId ? await update({ id: ruleId, input }) : await create({ input: { ...input, groupId } });
    if (result.data) props.onSaved();
  }

  const errors = fieldErrors(state.error);
  const argError = (i: number, field: string) => errors[`conditions.arguments.${i}.${field}`] ?? (field === 'path' ? errors[`conditions.arguments.${i}`] : undefined);
  return (
    <Modal opened onClose={props.onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={ruleId ? `Edit rule ${props.initial.name}` : 'New routing rule'} size="xl">
      <form onSubmit={submit}>
        <Stack>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Rule not saved" />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Name" required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} data-autofocus />
            <NumberInput
              label="Priority"
              description="Lower numbers are evaluated first"
              required
              min={0}
              allowDecimal={false}
              value={draft.priority}
              onChange={(v) => set('priority', v)}
              error={errors.priority}
            />
            <Switch label="Enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} mt={{ sm: 'xl' }} />
          </SimpleGrid>

          <Fieldset legend="When (every part given must match)">
            <Stack>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select label="Tool" data={TOOL_KINDS} value={draft.toolKind} onChange={(v) => v && set('toolKind', v as ToolKind)} allowDeselect={false} />
                {draft.toolKind !== 'ANY' && (
                  <TextInput
                    label={draft.toolKind === 'GLOB' ? 'Tool name glob' : 'Tool name regular expression'}
                    description={draft.toolKind === 'GLOB' ? 'The name agents call, e.g. everything__get-*; * any run, ? one character' : 'Unanchored unless you add ^ and $'}
                    required
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    value={draft.toolPattern}
                    onChange={(e) => set('toolPattern', e.currentTarget.value)}
                    error={errors['conditions.tool'] ?? errors['conditions.tool.glob'] ?? errors['conditions.tool.regex']}
                  />
                )}
              </SimpleGrid>
              {draft.args.map((arg, i) => (
                <Group key={i} align="flex-start" wrap="wrap" gap="xs">
                  <TextInput
                    label={`Argument ${i + 1} path`}
                    description="e.g. $.query.limit or items[0].name"
                    required
                    value={arg.path}
                    onChange={(e) => setArg(i, { path: e.currentTarget.value })}
                    error={argError(i, 'path')}
                    style={{ flex: 2, minWidth: 180 }}
                  />
                  <Select
                    label={`Argument ${i + 1} test`}
                    data={OPS}
                    value={arg.op}
                    onChange={(v) => v && setArg(i, { op: v as ArgumentOp })}
                    allowDeselect={false}
                    style={{ flex: 1, minWidth: 150 }}
                  />
                  {arg.op === 'EQUALS' && (
                    <TextInput
                      label={`Argument ${i + 1} value`}
                      description="JSON; plain text is a string"
                      value={arg.value}
                      onChange={(e) => setArg(i, { value: e.currentTarget.value })}
                      error={argError(i, 'value')}
                      style={{ flex: 2, minWidth: 160 }}
                    />
                  )}
                  {arg.op === 'REGEX' && (
                    <TextInput
                      label={`Argument ${i + 1} pattern`}
                      required
                      value={arg.pattern}
                      onChange={(e) => setArg(i, { pattern: e.currentTarget.value })}
                      error={argError(i, 'pattern')}
                      style={{ flex: 2, minWidth: 160 }}
                    />
                  )}
                  {arg.op === 'RANGE' && (
                    <>
                      <NumberInput label={`Argument ${i + 1} minimum`} value={arg.min} onChange={(v) => setArg(i, { min: v })} error={argError(i, 'min')} style={{ flex: 1, minWidth: 110 }} />
                      <NumberInput label={`Argument ${i + 1} maximum`} value={arg.max} onChange={(v) => setArg(i, { max: v })} error={argError(i, 'max')} style={{ flex: 1, minWidth: 110 }} />
                    </>
                  )}
                  <Tooltip label={`Remove argument condition ${i + 1}`}>
                    <ActionIcon variant="subtle" color="red" mt={26} onClick={() => set('args', draft.args.filter((_, j) => j !== i))} aria-label={`Remove argument condition ${i + 1}`}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              ))}
              <Group>
                <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => set('args', [...draft.args, { ...EMPTY_ARGUMENT }])}>
                  Add argument condition
                </Button>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <MultiSelect
                  label="Calling keys"
                  description="Matches when the agent's key is one of these…"
                  placeholder={keyChoices.length ? 'Any key' : 'No keys'}
                  data={keyChoices}
                  value={draft.keyIds}
                  onChange={(v) => set('keyIds', v)}
                  searchable
                  clearable
                  error={errors['conditions.keys'] ?? errors['conditions.keys.keyIds']}
                />
                <TagsInput
                  label="…or carries one of these key tags"
                  placeholder="Type a tag, press Enter"
                  value={draft.tags}
                  onChange={(v) => set('tags', v)}
                  error={errors['conditions.keys.tags']}
                />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend="Then">
            <Stack>
              <Select label="Action" data={ACTIONS} value={draft.actionType} onChange={(v) => v && set('actionType', v as ActionType)} allowDeselect={false} error={errors['action.type']} />
              {draft.actionType === 'ROUTE' && (
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <Select
                    label="Server"
                    required
                    placeholder="Choose a server"
                    data={serverChoices}
                    value={draft.serverId}
                    onChange={(v) => setDraft((d) => ({ ...d, serverId: v, replicaId: null }))}
                    error={errors['action.serverId'] ?? errors.action}
                  />
                  <Select
                    label="Replica"
                    placeholder={replicas.length ? 'Any (balanced)' : 'No replicas'}
                    data={replicas.map((r) => ({ value: r.id, label: r.name }))}
                    value={draft.replicaId}
                    onChange={(v) => set('replicaId', v)}
                    clearable
                    disabled={!replicas.length}
                    error={errors['action.replicaId']}
                  />
                  <TimeoutInput draft={draft} set={set} error={errors['action.timeoutMs']} />
                </SimpleGrid>
              )}
              {draft.actionType === 'FALLBACK' && (
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <MultiSelect
                    label="Servers, in the order tried"
                    description="The next one only when the previous is unavailable"
                    required
                    data={serverChoices}
                    value={draft.serverIds}
                    onChange={(v) => set('serverIds', v)}
                    error={errors['action.serverIds'] ?? Object.entries(errors).find(([k]) => k.startsWith('action.serverIds.'))?.[1] ?? errors.action}
                  />
                  <TimeoutInput draft={draft} set={set} error={errors['action.timeoutMs']} />
                </SimpleGrid>
              )}
              {draft.actionType === 'TIMEOUT' && <TimeoutInput draft={draft} set={set} error={errors['action.timeoutMs'] ?? errors.action} required />}
              {draft.actionType === 'DENY' && (
                <TextInput
                  label="Message"
                  description="What the agent is told"
                  required
                  value={draft.message}
                  onChange={(e) => set('message', e.currentTarget.value)}
                  error={errors['action.message'] ?? errors.action}
                />
              )}
              {servers.length === 0 && (draft.actionType === 'ROUTE' || draft.actionType === 'FALLBACK') && (
                <Text size="sm" c="dimmed">
                  The group has no servers yet: add some on the Servers tab first.
                </Text>
              )}
            </Stack>
          </Fieldset>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching}>
              {ruleId ? 'Save rule' : 'Create rule'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TimeoutInput({ draft, set, error, required }: { draft: RuleDraft; set(key: 'timeoutMs', value: number | string): void; error?: string; required?: boolean }) {
  return (
    <NumberInput
      label="Timeout (ms)"
      description={required ? '100 to 600000' : 'Optional; 100 to 600000'}
      required={required}
      min={100}
      max={600000}
      allowDecimal={false}
      value={draft.timeoutMs}
      onChange={(v) => set('timeoutMs', v)}
      error={error}
    />
  );
}
