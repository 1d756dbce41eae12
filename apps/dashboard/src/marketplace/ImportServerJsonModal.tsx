import { Button, FileButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';

const ImportMutation = graphql(`
  mutation ImportCatalogEntry($serverJson: String!) { importCatalogEntry(serverJson: $serverJson) { id name title version } }
`);

/** Admins paste (or pick) an MCP Registry server.json; an entry of the same name is replaced. */
export function ImportServerJsonModal({ opened, onClose, onImported }: { opened: boolean; onClose(): void; onImported(title: string): void }) {
  const [state, importEntry] = useMutation(ImportMutation);
  const [text, setText] = useState('');

  function close() {
    setText('');
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await importEntry({ serverJson: text });
    if (result.data) {
      onImported(`${result.data.importCatalogEntry.title} ${result.data.importCatalogEntry.version}`);
      close();
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Import a server.json" size="lg" centered>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">The MCP Registry format. An entry with the same name is replaced by this one.</Text>
          <ErrorNotice error={state.error} title="Not imported" />
          <Textarea
            label="server.json"
            required
            autosize
            minRows={8}
            maxRows={18}
            ff="monospace"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="space-between">
            <FileButton accept="application/json,.json" onChange={(file) => void file?.text().then(setText)}>
              {(props) => (
                <Button variant="default" {...props}>
                  Choose a file
                </Button>
              )}
            </FileButton>
            <Group>
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching} disabled={!text.trim()}>
                Import
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
