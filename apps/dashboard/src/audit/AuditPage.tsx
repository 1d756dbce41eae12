import { ActionIcon, Badge, Button, Card, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDownload } from '@tabler/icons-react';
import { Fragment, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useClient, type CombinedError } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { graphql } from '../graphql/graphql';
import { PAGE_SIZE, useAllAfter } from '../ui/all-pages';
import { useCursorPages } from '../ui/cursor-pages';
import { downloadExport } from '../ui/download';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { formatDateTimeSeconds } from '../ui/format-seconds';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { readParams, toExportParams, toFilter, writeParams } from './audit-filters';
import { AUDIT_OUTCOME_LABELS, AuditLogQuery, type AuditOutcome } from './audit-query';
import { AuditEntryDetails } from './AuditEntryDetails';
import { AuditFilters } from './AuditFilters';
import { LoadMore } from '../ui/LoadMore';

const UsersQuery = graphql(`
  query AuditActors($first: Int!, $after: String) { userList(first: $first, after: $after) { nodes { id email } endCursor hasNextPage } }
`);

const OUTCOME_COLORS: Record<AuditOutcome, string> = { SUCCESS: 'teal', DENIED: 'orange', FAILED: 'red' };

export default function AuditPage() {
  const client = useClient();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => readParams(search), [search]);
  const filterKey = writeParams(params).toString();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [exportError, setExportError] = useState<Error | null>(null);
  const [exporting, setExporting] = useState(false);

  const entries = useCursorPages(async (after) => {
    const { auditLog } = await fetchQuery(client, AuditLogQuery, { filter: toFilter(params), first: 50, after });
    return { nodes: auditLog.nodes, endCursor: auditLog.pageInfo.endCursor, hasNextPage: auditLog.pageInfo.hasNextPage };
  }, filterKey);
  const users = useAllAfter((after) => fetchQuery(client, UsersQuery, { first: PAGE_SIZE, after }).then((d) => d.userList));

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadExport('/audit/export', toExportParams(params), 'audit-log.csv');
    } catch (error) {
      setExportError(error as Error);
    } finally {
      setExporting(false);
    }
  };

  // Someone without the right to read the log gets the API's refusal, and nothing else of the page.
  const refused = (entries.error as CombinedError | null)?.graphQLErrors?.some((e) => e.extensions?.code === 'FORBIDDEN');
  const header = (
    <PageHeader
      title="Audit log"
      description="Every change made through the API and every sign-in, newest first"
      actions={
        !refused && (
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} loading={exporting} onClick={() => void exportCsv()}>
            Export CSV
          </Button>
        )
      }
    />
  );
  if (refused) {
    return (
      <>
        {header}
        <ErrorNotice error={entries.error} title="You may not read the audit log" />
      </>
    );
  }

  return (
    <>
      {header}
      <ErrorNotice error={exportError} title="The export failed" />
      <AuditFilters
        value={params}
        actors={(users.items ?? []).map((u) => ({ value: u.id, label: u.email }))}
        errors={fieldErrors(entries.error as CombinedError | null, 'filter')}
        onApply={(next) => setSearch(writeParams(next))}
      />
      <ErrorNotice error={entries.error} title="The audit log could not be loaded" />
      <ErrorNotice error={users.error} title="The list of people could not be loaded" />
      <Card withBorder>
        <Table.ScrollContainer minWidth={820}>
          <Table>
            <Table.Caption>
              {entries.loading && !entries.nodes.length ? 'Loading entries' : `${entries.nodes.length} entr${entries.nodes.length === 1 ? 'y' : 'ies'} shown${entries.hasNextPage ? ', more to load' : ''}`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44}>
                  <VisuallyHidden>Details</VisuallyHidden>
                </Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Outcome</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.nodes.map((entry) => {
                const open = expanded.has(entry.id);
                const detailsId = `audit-entry-${entry.id}`;
                return (
                  <Fragment key={entry.id}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          onClick={() => toggle(entry.id)}
                          aria-expanded={open}
                          aria-controls={open ? detailsId : undefined}
                          aria-label={`${open ? 'Hide' : 'Show'} details of ${entry.action} at ${formatDateTimeSeconds(entry.at)}`}
                        >
                          {open ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeSeconds(entry.at)}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{entry.actorLabel ?? entry.actorId ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {entry.action}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        {entry.targetType ? (
                          <>
                            <Text size="sm">{entry.targetType}</Text>
                            {entry.targetId && (
                              <Text size="xs" c="dimmed">
                                {entry.targetId}
                              </Text>
                            )}
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="dot" color={OUTCOME_COLORS[entry.outcome]} style={{ minWidth: 'max-content' }}>
                          {AUDIT_OUTCOME_LABELS[entry.outcome]}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                    {open && (
                      <Table.Tr id={detailsId}>
                        <Table.Td />
                        <Table.Td colSpan={5}>
                          <AuditEntryDetails entry={entry} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {entries.loading && !entries.nodes.length && <Loading label="Loading the audit log" />}
        {!entries.loading && !entries.error && !entries.nodes.length && (
          <Text size="sm" ta="center" py="md">
            {filterKey ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}
          </Text>
        )}
        <LoadMore pages={entries} />
      </Card>
    </>
  );
}
