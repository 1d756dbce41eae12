import { Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';

const ImportRegistryMutation = graphql(`
  mutation ImportCatalogFromRegistry($url: String!) {
    importCatalogFromRegistry(url: $url) { pages created updated skipped items { name version outcome reason } }
  }
`);

type Result = ResultOf<typeof ImportRegistryMutation>['importCatalogFromRegistry'];

/** Admins import every server of an MCP Registry (the official one, or another hub's). */
export function ImportRegistryModal({ opened, onClose, onImported }: { opened: boolean; onClose(): void; onImported(): void }) {
  const [state, importAll] = useMutation(ImportRegistryMutation);
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<Result | null>(null);

  function close() {
    setUrl('');
    setResult(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await importAll({ url });
    if (answer.data) {
      setResult(answer.data.importCatalogFromRegistry);
      onImported();
    }
  }

  const skipped = result?.items.filter((i) => i.outcome === 'SKIPPED') ?? [];
  return (
    <Modal opened={opened} onClose={close} title="Import from a registry" size="lg" centered>
      {!result ? (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">Every server of an MCP Registry (its /v0.1/servers, all pages). Entries with the same name are replaced.</Text>
            <ErrorNotice error={state.error} title="Not imported" />
            <TextInput
              label="Registry URL"
              placeholder="https://registry.modelcontextprotocol.io"
              required
              type="url"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching} disabled={!url.trim()}>
                Import
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack>
          <Text size="sm" aria-live="polite">
            {result.created} added, {result.updated} updated, {result.skipped} skipped ({result.pages} page{result.pages === 1 ? '' : 's'} read).
          </Text>
          {skipped.length > 0 && (
            <List size="sm" aria-label="Skipped servers">
              {skipped.map((item) => (
                <List.Item key={`${item.name}@${item.version}`}>
                  <Text span ff="monospace" size="sm">
                    {item.name}
                  </Text>
                  : {item.reason}
                </List.Item>
              ))}
            </List>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
