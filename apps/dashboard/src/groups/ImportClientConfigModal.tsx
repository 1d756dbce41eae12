import { Alert, Button, Code, Group, List, Modal, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { FORMAT_OPTIONS, type ClientConfigFormat } from './client-config-format';

const ImportMutation = graphql(`
  mutation ImportClientConfig($input: ImportClientConfigInput!) {
    importClientConfig(input: $input) {
      dryRun groupName groupSlug group { id slug }
      servers { key slug transport command args url envNames headerNames enabled }
      pendingValues { serverSlug kind name reference variable description }
      warnings
    }
  }
`);

type Preview = ResultOf<typeof ImportMutation>['importClientConfig'];

/** Paste a client's config file, preview what it creates (a dry run), then import it as servers plus one group. */
export function ImportClientConfigModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const [state, run] = useMutation(ImportMutation);
  const [format, setFormat] = useState<ClientConfigFormat>('MCP_SERVERS');
  const [json, setJson] = useState('');
  const [groupName, setGroupName] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);

  const input = (dryRun: boolean) => ({ format, json, groupName: groupName.trim() || null, dryRun });
  /** Any edit makes the preview stale: import only what was previewed. */
  const edited =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPreview(null);
    };

  async function previewImport(event: FormEvent) {
    event.preventDefault();
    const result = await run({ input: input(true) });
    setPreview(result.data?.importClientConfig ?? null);
  }

  async function confirmImport() {
    const result = await run({ input: input(false) });
    const done = result.data?.importClientConfig;
    if (done?.group) {
      notifications.show({ color: 'teal', message: `Imported ${done.servers.length} server(s) into group ${done.groupName}` });
      // The values the file only referred to come from credentials: say once more, until dismissed, which to set.
      if (done.pendingValues.length) {
        notifications.show({
          color: 'yellow',
          autoClose: false,
          title: 'Set these credentials (Settings → Credentials)',
          message: [...new Set(done.pendingValues.map((p) => p.variable))].join(', '),
        });
      }
      onClose();
      navigate(`/groups/${done.group.slug}`);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Import from a client config" size="xl">
      <form onSubmit={previewImport}>
        <Stack>
          <Text size="sm">
            Paste the file a client keeps its MCP servers in. Each entry becomes a server and all of them one new group. Env and header values are stored
            encrypted. Stdio entries run programs on the hub: only admins may import them.
          </Text>
          <Select
            label="Format"
            data={FORMAT_OPTIONS}
            value={format}
            onChange={(value) => value && edited(setFormat)(value as ClientConfigFormat)}
            allowDeselect={false}
          />
          <Textarea
            label="Config JSON"
            required
            autosize
            minRows={6}
            maxRows={16}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={json}
            onChange={(e) => edited(setJson)(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label="Group name"
            description='Default "Imported servers"'
            value={groupName}
            onChange={(e) => edited(setGroupName)(e.currentTarget.value)}
          />
          <ErrorNotice error={state.error} title={preview ? 'Not imported' : 'The config cannot be imported'} />
          {preview && <ImportPreview preview={preview} />}
          <Group>
            <Button type="submit" variant={preview ? 'default' : 'filled'} loading={state.fetching && !preview}>
              Preview
            </Button>
            {preview && (
              <Button onClick={confirmImport} loading={state.fetching}>
                Import {preview.servers.length} server(s)
              </Button>
            )}
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ImportPreview({ preview }: { preview: Preview }) {
  return (
    <Stack gap="xs" aria-label="Import preview" role="region">
      <Text size="sm">
        Creates the group <strong>{preview.groupName}</strong> (<Code>{preview.groupSlug}</Code>) with these servers:
      </Text>
      {/* No scroll container: a scrollable region would need a tab stop of its own; long commands wrap instead. */}
      <Table>
        <Table.Caption>Servers the import creates</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Entry</Table.Th>
            <Table.Th>Slug</Table.Th>
            <Table.Th>Transport</Table.Th>
            <Table.Th>Runs / connects to</Table.Th>
            <Table.Th>Secrets (encrypted)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.servers.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Td>{s.key}</Table.Td>
              <Table.Td>
                <Code>{s.slug}</Code>
              </Table.Td>
              <Table.Td>{s.transport}</Table.Td>
              <Table.Td>
                <Code style={{ wordBreak: 'break-all' }}>{s.url ?? [s.command, ...s.args].join(' ')}</Code>
              </Table.Td>
              <Table.Td>{[...s.envNames, ...s.headerNames].join(', ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {preview.pendingValues.length > 0 && (
        <Alert color="yellow" title="Filled from credentials: set them in Settings → Credentials">
          <List size="sm">
            {preview.pendingValues.map((p) => (
              <List.Item key={`${p.serverSlug}/${p.name}`}>
                {p.serverSlug}: {p.kind === 'ENV' ? 'env' : 'header'} <Code>{p.name}</Code> (<Code>{p.reference}</Code>) from credential <Code>{p.variable}</Code>
                {p.description && ` (${p.description})`}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {preview.warnings.length > 0 && (
        <Alert color="gray" title="Not imported">
          <List size="sm">
            {preview.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
