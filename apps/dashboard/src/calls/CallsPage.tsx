import { Alert, Button, Card, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useClient, type CombinedError } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { PAGE_SIZE, useAll, useAllAfter } from '../ui/all-pages';
import { useCursorPages } from '../ui/cursor-pages';
import { downloadExport } from '../ui/download';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { formatDateTimeSeconds } from '../ui/format-seconds';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { readParams, toExportParams, toFilter, writeParams } from './call-filters';
import { CallLogQuery, type CallEntry } from './call-log-query';
import { CallDrawer } from './CallDrawer';
import { CallFilters } from './CallFilters';
import { OutcomeBadge } from './OutcomeBadge';
import { LoadMore } from '../ui/LoadMore';

const KeysQuery = graphql(`
  query CallKeys($first: Int!, $after: String) { apiKeys(first: $first, after: $after) { nodes { id name prefix } pageInfo { endCursor hasNextPage } } }
`);
const GroupsQuery = graphql(`
  query CallGroups($first: Int!, $offset: Int!) { groups(first: $first, offset: $offset) { id name slug } }
`);
const ServersQuery = graphql(`
  query CallServers($first: Int!, $offset: Int!) { servers(first: $first, offset: $offset) { id name slug } }
`);

export default function CallsPage() {
  const me = useSession().me!;
  const client = useClient();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => readParams(search), [search]);
  const filterKey = writeParams(params).toString();
  const [selected, setSelected] = useState<CallEntry | null>(null);
  const [exportError, setExportError] = useState<Error | null>(null);
  const [exporting, setExporting] = useState(false);

  const calls = useCursorPages(async (after) => {
    const { callLog } = await fetchQuery(client, CallLogQuery, { filter: toFilter(params), first: 50, after });
    return { nodes: callLog.entries, endCursor: callLog.endCursor, hasNextPage: callLog.hasNextPage };
  }, filterKey);

  const keys = useAllAfter((after) => fetchQuery(client, KeysQuery, { first: PAGE_SIZE, after }).then((d) => ({ nodes: d.apiKeys.nodes, ...d.apiKeys.pageInfo })));
  const groups = useAll((offset) => fetchQuery(client, GroupsQuery, { first: PAGE_SIZE, offset }).then((d) => d.groups));
  const servers = useAll((offset) => fetchQuery(client, ServersQuery, { first: PAGE_SIZE, offset }).then((d) => d.servers));

  const everyone = me.role === 'ADMIN' || me.role === 'AUDITOR';
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadExport('/call-log/export', toExportParams(params), 'call-log.csv');
    } catch (error) {
      setExportError(error as Error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title="My calls"
        description="Every tools/call, resources/read and prompts/get an agent sent through the hub, newest first"
        actions={
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} loading={exporting} onClick={() => void exportCsv()}>
            Export CSV
          </Button>
        }
      />
      {everyone ? (
        <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} mb="md" title={`As ${me.role === 'ADMIN' ? 'an admin' : 'an auditor'}, you see everyone's calls`}>
          This list holds the calls of every person's API keys, not only yours. Filter by key to see one agent's calls.
        </Alert>
      ) : (
        <Text size="sm" mb="md">
          The calls made with your API keys (and, in teams you own, with your team members' keys).
        </Text>
      )}
      <ErrorNotice error={exportError} title="The export failed" />
      <CallFilters
        value={params}
        keys={(keys.items ?? []).map((k) => ({ value: k.id, label: `${k.name} (${k.prefix})` }))}
        groups={(groups.items ?? []).map((g) => ({ value: g.id, label: g.slug }))}
        servers={(servers.items ?? []).map((s) => ({ value: s.id, label: s.slug }))}
        errors={fieldErrors(calls.error as CombinedError | null, 'filter')}
        onApply={(next) => setSearch(writeParams(next))}
      />
      <ErrorNotice error={calls.error} title="The calls could not be loaded" />
      <ErrorNotice error={keys.error ?? groups.error ?? servers.error} title="The filter choices could not be loaded" />
      <Card withBorder>
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover>
            <Table.Caption>{calls.loading && !calls.nodes.length ? 'Loading calls' : `${calls.nodes.length} call${calls.nodes.length === 1 ? '' : 's'} shown${calls.hasNextPage ? ', more to load' : ''}`}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Call</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th ta="right">Latency</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Group</Table.Th>
                <Table.Th>Server</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Details</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {calls.nodes.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeSeconds(entry.at)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Text size="sm">{entry.name ?? '—'}</Text>
                    <Text size="xs" c="dimmed">
                      {entry.method}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={entry.outcome} />
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {Math.round(entry.latencyMs)} ms
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{entry.keyName ?? 'deleted key'}</Table.Td>
                  <Table.Td>{entry.groupSlug ?? '—'}</Table.Td>
                  <Table.Td>{entry.serverSlug ?? '—'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setSelected(entry)} aria-label={`Details of ${entry.name ?? entry.method} at ${formatDateTimeSeconds(entry.at)}`}>
                      Details
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {calls.loading && !calls.nodes.length && <Loading label="Loading calls" />}
        {!calls.loading && !calls.error && !calls.nodes.length && (
          <Text size="sm" ta="center" py="md">
            {filterKey ? 'No calls match these filters.' : 'No calls yet. Agents that call a group with your API key show up here.'}
          </Text>
        )}
        <LoadMore pages={calls} />
      </Card>
      <CallDrawer entry={selected} onClose={() => setSelected(null)} />
    </>
  );
}
