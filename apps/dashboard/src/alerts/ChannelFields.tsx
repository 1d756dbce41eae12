import { Checkbox, Radio, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { EVENTS, FORMATS, type EventName, type FormatName } from './channel-options';

export interface ChannelDraft {
  name: string;
  url: string;
  format: FormatName;
  events: EventName[];
  enabled: boolean;
}

export const EMPTY_DRAFT: ChannelDraft = { name: '', url: '', format: 'GENERIC', events: ['SERVER_HEALTH_CHANGED'], enabled: true };

/**
 * The fields of a channel. Editing, the URL is write-only: only its origin is known (the path of a Slack or Teams
 * URL is a credential), so an empty URL keeps the current one.
 */
export function ChannelFields({ draft, onChange, errors, urlOrigin }: { draft: ChannelDraft; onChange(draft: ChannelDraft): void; errors: Record<string, string>; urlOrigin?: string }) {
  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <Stack>
      <TextInput label="Name" required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} data-autofocus />
      <TextInput
        label={urlOrigin ? 'New webhook URL' : 'Webhook URL'}
        description={
          urlOrigin
            ? `Now ${urlOrigin}/… (the rest is never shown). Leave empty to keep it.`
            : 'http or https; the hub POSTs each notification here'
        }
        placeholder="https://hooks.example.com/…"
        type="url"
        required={!urlOrigin}
        autoComplete="off"
        value={draft.url}
        onChange={(e) => set('url', e.currentTarget.value)}
        error={errors.url}
      />
      <Radio.Group label="Format" value={draft.format} onChange={(value) => set('format', value as FormatName)} error={errors.format}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" verticalSpacing="xs" mt={6}>
          {FORMATS.map((f) => (
            <Radio key={f.value} value={f.value} label={f.label} description={f.description} />
          ))}
        </SimpleGrid>
      </Radio.Group>
      <Checkbox.Group label="Events" description="At least one" value={draft.events} onChange={(value) => set('events', value as EventName[])} error={errors.events}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs" mt={6}>
          {EVENTS.map((e) => (
            <Checkbox key={e.value} value={e.value} label={e.label} description={e.description} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <Switch
        label="Enabled"
        description="A disabled channel gets only test notifications"
        checked={draft.enabled}
        onChange={(e) => set('enabled', e.currentTarget.checked)}
        error={errors.enabled}
      />
    </Stack>
  );
}
