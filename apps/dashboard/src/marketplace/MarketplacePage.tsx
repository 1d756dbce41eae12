import { ActionIcon, Badge, Button, Card, CloseButton, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronRight, IconCloudDownload, IconFileImport, IconSearch, IconTrash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useClient, useMutation } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ConfirmModal } from '../ui/ConfirmModal';
import { useCursorPages } from '../ui/cursor-pages';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { CatalogEntriesQuery, TRANSPORT_LABELS, type CatalogEntryView, type CatalogTransportName } from './catalog-query';
import { CatalogEntryDetails } from './CatalogEntryDetails';
import { ImportServerJsonModal } from './ImportServerJsonModal';
import { ImportRegistryModal } from './ImportRegistryModal';
import { InstallEntryModal } from './InstallEntryModal';
import { LoadMore } from '../ui/LoadMore';

const RemoveMutation = graphql(`
  mutation RemoveCatalogEntry($id: ID!) { removeCatalogEntry(id: $id) }
`);

const TRANSPORTS = [{ value: '', label: 'Any transport' }, ...Object.entries(TRANSPORT_LABELS).map(([value, label]) => ({ value, label }))];

/** The catalog of installable MCP servers: search it, filter it, read what each needs. Admins import and remove. */
export default function MarketplacePage() {
  const client = useClient();
  const role = useSession().me!.role;
  const canManage = role === 'ADMIN';
  // Stdio entries run programs on the hub: admins only. Auditors change nothing.
  const canInstall = (entry: CatalogEntryView) => (entry.transport === 'STDIO' ? role === 'ADMIN' : role !== 'AUDITOR');
  const [installing, setInstalling] = useState<CatalogEntryView | null>(null);
  const [importingRegistry, setImportingRegistry] = useState(false);
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const tag = params.get('tag') ?? '';
  const transport = (params.get('transport') ?? '') as CatalogTransportName | '';
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [importing, setImporting] = useState(false);
  const [removing, setRemoving] = useState<CatalogEntryView | null>(null);
  const [removeState, remove] = useMutation(RemoveMutation);

  // The filters live in the address. Changes made before the router has applied the previous one (typing, then a
  // tag click) build on that one, not on the address the page last rendered, or they would undo it.
  const pending = useRef<URLSearchParams | null>(null);
  if (pending.current?.toString() === params.toString()) pending.current = null;
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(pending.current ?? params);
    if (value) next.set(name, value);
    else next.delete(name);
    pending.current = next;
    setParams(next);
  };
  const key = JSON.stringify([debounced, tag, transport]);
  const entries = useCursorPages(async (after) => {
    const { catalogEntries } = await fetchQuery(client, CatalogEntriesQuery, { search: debounced || null, tag: tag || null, transport: transport || null, first: 30, after });
    return catalogEntries;
  }, key);

  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const confirmRemove = async () => {
    if (!removing) return;
    const result = await remove({ id: removing.id });
    if (result.error) return;
    notifications.show({ message: `${removing.title} removed from the catalog` });
    setRemoving(null);
    entries.reload();
  };

  return (
    <>
      <PageHeader
        title="Marketplace"
        description="MCP servers to add to this hub: what each runs and the variables it needs"
        actions={
          canManage && (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconCloudDownload size={16} aria-hidden />} onClick={() => setImportingRegistry(true)}>
                Import from registry URL
              </Button>
              <Button leftSection={<IconFileImport size={16} aria-hidden />} onClick={() => setImporting(true)}>
                Import server.json
              </Button>
            </Group>
          )
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="e.g. github, browser automation"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setParam('q', e.currentTarget.value.trim());
          }}
          w={300}
        />
        <NativeSelect label="Transport" data={TRANSPORTS} value={transport} onChange={(e) => setParam('transport', e.currentTarget.value)} />
        {tag && (
          <Group gap={4} align="center" pb={6}>
            <Text size="sm">Tag:</Text>
            <Badge variant="light" rightSection={<CloseButton size="xs" aria-label={`Show every tag, not only ${tag}`} onClick={() => setParam('tag', '')} />}>
              {tag}
            </Badge>
          </Group>
        )}
      </Group>
      <ErrorNotice error={entries.error} title="The catalog could not be loaded" />
      <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
        {entries.loading && !entries.nodes.length ? 'Loading servers' : `${entries.nodes.length} server${entries.nodes.length === 1 ? '' : 's'} shown${entries.hasNextPage ? ', more to load' : ''}`}
      </Text>
      <Stack gap="sm">
        {entries.nodes.map((entry) => {
          const expanded = open.has(entry.id);
          const detailsId = `catalog-entry-${entry.id}`;
          return (
            <Card key={entry.id} withBorder component="article" aria-labelledby={`${detailsId}-title`}>
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Group align="flex-start" wrap="nowrap" gap="sm">
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    mt={2}
                    onClick={() => toggle(entry.id)}
                    aria-expanded={expanded}
                    aria-controls={expanded ? detailsId : undefined}
                    aria-label={`${expanded ? 'Hide' : 'Show'} details of ${entry.title}`}
                  >
                    {expanded ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                  </ActionIcon>
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Title order={2} size="h4" id={`${detailsId}-title`}>
                        {entry.title}
                      </Title>
                      <Badge variant="outline" color="gray">
                        {TRANSPORT_LABELS[entry.transport]}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        v{entry.version}
                        {entry.versions.length > 1 ? ` · ${entry.versions.length} versions` : ''}
                      </Text>
                    </Group>
                    <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {entry.name}
                    </Text>
                    <Text size="sm">{entry.description}</Text>
                    {entry.tags.length > 0 && (
                      <Group gap={4}>
                        {entry.tags.map((t) => (
                          <Button key={t} size="compact-xs" variant={t === tag ? 'filled' : 'light'} onClick={() => setParam('tag', t)} aria-label={`Show servers tagged ${t}`}>
                            {t}
                          </Button>
                        ))}
                      </Group>
                    )}
                  </Stack>
                </Group>
                {canManage && (
                  <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(entry)} aria-label={`Remove ${entry.title} from the catalog`}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                )}
              </Group>
              {expanded && (
                <div id={detailsId}>
                  <Card.Section withBorder inheritPadding py="sm" mt="sm">
                    <CatalogEntryDetails entry={entry} />
                    {canInstall(entry) && (
                      <Group justify="flex-end" mt="sm">
                        <Button onClick={() => setInstalling(entry)} aria-label={`Install ${entry.title}`}>
                          Install
                        </Button>
                      </Group>
                    )}
                  </Card.Section>
                </div>
              )}
            </Card>
          );
        })}
      </Stack>
      {entries.loading && !entries.nodes.length && <Loading label="Loading the catalog" />}
      {!entries.loading && !entries.error && !entries.nodes.length && (
        <Text size="sm" ta="center" py="md">
          No server matches.
        </Text>
      )}
      <LoadMore pages={entries} />
      {canManage && (
        <ImportServerJsonModal
          opened={importing}
          onClose={() => setImporting(false)}
          onImported={(what) => {
            notifications.show({ message: `${what} imported` });
            entries.reload();
          }}
        />
      )}
      {canManage && (
        <ImportRegistryModal opened={importingRegistry} onClose={() => setImportingRegistry(false)} onImported={() => entries.reload()} />
      )}
      <InstallEntryModal entry={installing} onClose={() => setInstalling(null)} />
      <ConfirmModal
        opened={!!removing}
        title="Remove from the catalog?"
        confirmLabel="Remove"
        loading={removeState.fetching}
        error={removeState.error}
        onConfirm={() => void confirmRemove()}
        onClose={() => setRemoving(null)}
      >
        {removing?.title} ({removing?.name}) is no longer offered{removing && removing.versions.length > 1 ? `, in any of its ${removing.versions.length} versions` : ''}. Servers already added to the hub keep
        running.
      </ConfirmModal>
    </>
  );
}
