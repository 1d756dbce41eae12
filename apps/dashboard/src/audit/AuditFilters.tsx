import { Button, Card, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState, type ChangeEvent } from 'react';
import { fromLocalInput, toLocalInput } from '../ui/date-input';
import type { FilterParams } from './audit-filters';
import { AUDIT_OUTCOME_LABELS, type AuditOutcome } from './audit-query';

interface Props {
  value: FilterParams;
  actors: { value: string; label: string }[];
  /** Messages from the API by filter field. */
  errors: Record<string, string>;
  onApply(params: FilterParams): void;
}

const OUTCOME_OPTIONS = (Object.keys(AUDIT_OUTCOME_LABELS) as AuditOutcome[]).map((o) => ({ value: o, label: AUDIT_OUTCOME_LABELS[o] }));

/** The audit log's filters, applied together with the button (or Enter), then kept in the address. */
export function AuditFilters({ value, actors, errors, onApply }: Props) {
  const [draft, setDraft] = useState(() => toDraft(value));
  useEffect(() => setDraft(toDraft(value)), [value]);
  const set = (name: keyof typeof draft) => (next: string | null) => setDraft((d) => ({ ...d, [name]: next ?? '' }));
  const text = (name: keyof typeof draft) => (e: ChangeEvent<HTMLInputElement>) => set(name)(e.currentTarget.value);
  return (
    <Card
      withBorder
      mb="lg"
      component="form"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
          actorId: draft.actorId || undefined,
          action: draft.action.trim() || undefined,
          outcome: draft.outcome || undefined,
          targetType: draft.targetType.trim() || undefined,
          targetId: draft.targetId.trim() || undefined,
          from: fromLocalInput(draft.from),
          to: fromLocalInput(draft.to),
        });
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Select label="Actor" placeholder="Anyone" data={actors} value={draft.actorId || null} onChange={set('actorId')} clearable searchable error={errors.actorId} nothingFoundMessage="No such person" />
        <TextInput label="Action" description="Exact name, e.g. updateServer" value={draft.action} onChange={text('action')} error={errors.action} />
        <Select label="Outcome" placeholder="Any outcome" data={OUTCOME_OPTIONS} value={draft.outcome || null} onChange={set('outcome')} clearable error={errors.outcome} />
        <TextInput label="Target type" description="e.g. Server, Group, ApiKey, User" value={draft.targetType} onChange={text('targetType')} error={errors.targetType} />
        <TextInput label="Target id" value={draft.targetId} onChange={text('targetId')} error={errors.targetId} />
        <TextInput label="From" description="Entries at or after" type="datetime-local" value={draft.from} onChange={text('from')} error={errors.from} />
        <TextInput label="To" description="Entries before" type="datetime-local" value={draft.to} onChange={text('to')} error={errors.to} />
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
    actorId: params.actorId ?? '',
    action: params.action ?? '',
    outcome: params.outcome ?? '',
    targetType: params.targetType ?? '',
    targetId: params.targetId ?? '',
    from: toLocalInput(params.from),
    to: toLocalInput(params.to),
  };
}
