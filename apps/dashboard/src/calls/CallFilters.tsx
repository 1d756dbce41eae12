import { Button, Card, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fromLocalInput, toLocalInput } from '../ui/date-input';
import { ANY_FAILURE, type FilterParams } from './call-filters';
import { OUTCOME_LABELS, OUTCOMES } from './outcomes';

export interface Option {
  value: string;
  label: string;
}

interface Props {
  value: FilterParams;
  keys: Option[];
  groups: Option[];
  servers: Option[];
  /** Messages from the API by filter field (`tool`, `to`, …). */
  errors: Record<string, string>;
  onApply(params: FilterParams): void;
}

const OUTCOME_OPTIONS = [{ value: ANY_FAILURE, label: 'Any failure' }, ...OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))];

/** The call log's filters; applied together with the button (or Enter), then kept in the address. */
export function CallFilters({ value, keys, groups, servers, errors, onApply }: Props) {
  const [draft, setDraft] = useState(() => toDraft(value));
  useEffect(() => setDraft(toDraft(value)), [value]);
  const set = (name: keyof typeof draft) => (next: string | null) => setDraft((d) => ({ ...d, [name]: next ?? '' }));
  return (
    <Card
      withBorder
      mb="lg"
      component="form"
      aria-label="Filter calls"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
          keyId: draft.keyId || undefined,
          groupId: draft.groupId || undefined,
          serverId: draft.serverId || undefined,
          tool: draft.tool.trim() || undefined,
          outcome: draft.outcome || undefined,
          from: fromLocalInput(draft.from),
          to: fromLocalInput(draft.to),
        });
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Select label="Key" placeholder="Any key" data={keys} value={draft.keyId || null} onChange={set('keyId')} clearable searchable error={errors.keyId} nothingFoundMessage="No such key" />
        <Select label="Group" placeholder="Any group" data={groups} value={draft.groupId || null} onChange={set('groupId')} clearable searchable error={errors.groupId} nothingFoundMessage="No such group" />
        <Select label="Server" placeholder="Any server" data={servers} value={draft.serverId || null} onChange={set('serverId')} clearable searchable error={errors.serverId} nothingFoundMessage="No such server" />
        <Select label="Outcome" placeholder="Any outcome" data={OUTCOME_OPTIONS} value={draft.outcome || null} onChange={set('outcome')} clearable error={errors.outcome ?? errors.failed} />
        <TextInput label="Tool or resource" description="Exact name, e.g. everything__echo" value={draft.tool} onChange={(e) => set('tool')(e.currentTarget.value)} error={errors.tool} />
        <TextInput label="From" description="Calls at or after" type="datetime-local" value={draft.from} onChange={(e) => set('from')(e.currentTarget.value)} error={errors.from} />
        <TextInput label="To" description="Calls before" type="datetime-local" value={draft.to} onChange={(e) => set('to')(e.currentTarget.value)} error={errors.to} />
      </SimpleGrid>
      <Group mt="md" gap="sm">
        <Button type="submit">Apply filters</Button>
        <Button variant="default" onClick={() => onApply({})}>
          Clear filters
        </Button>
      </Group>
    </Card>
  );
}

function toDraft(params: FilterParams) {
  return {
    keyId: params.keyId ?? '',
    groupId: params.groupId ?? '',
    serverId: params.serverId ?? '',
    tool: params.tool ?? '',
    outcome: params.outcome ?? '',
    from: toLocalInput(params.from),
    to: toLocalInput(params.to),
  };
}
