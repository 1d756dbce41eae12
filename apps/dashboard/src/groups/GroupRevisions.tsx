import { Badge, Box, Button, Card, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconGitCompare } from '@tabler/icons-react';
import { Fragment, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { formatDateTime } from '../ui/format';
import type { GroupDetail } from './GroupPage';
import { RevisionDiff } from './RevisionDiff';

const PAGE = 50;

const RevisionsQuery = graphql(`
  query GroupRevisionList($groupId: ID!, $first: Int!, $offset: Int!) {
    groupRevisions(groupId: $groupId, first: $first, offset: $offset) {
      id revision reason createdBy createdAt
      snapshot { name slug description toolNaming toolFilterMode toolFilter serverIds parts }
    }
    servers(first: 100) { id name slug }
  }
`);

const RollbackMutation = graphql(`
  mutation RollbackGroup($groupId: ID!, $revision: Int!) {
    rollbackGroup(groupId: $groupId, revision: $revision) { id name slug toolNaming toolFilterMode toolFilter servers { id } }
  }
`);

export type Revision = ResultOf<typeof RevisionsQuery>['groupRevisions'][number];

/** Newest first; each revision can be compared with the one before it and rolled back to. */
export function GroupRevisions({ group, onRolledBack }: { group: GroupDetail; onRolledBack(): void }) {
  const [pages, setPages] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [rollingBack, setRollingBack] = useState<{ revision: Revision; current: Revision; serverNames: Map<string, string> } | null>(null);
  const [generation, setGeneration] = useState(0);

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Every change to the group’s settings, servers and routing rules is a numbered revision. Rolling back restores a revision as a new one, so it can be undone too.
      </Text>
      <Card withBorder p={0}>
        <Table.ScrollContainer minWidth={680}>
          <Table>
            <Table.Caption>Revisions, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Revision</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Array.from({ length: pages }, (_, page) => (
                <RevisionRows
                  key={`${generation}-${page}`}
                  group={group}
                  page={page}
                  open={open}
                  setOpen={setOpen}
                  onHasMore={page === pages - 1 ? setHasMore : undefined}
                  onRollBack={(revision, current, serverNames) => setRollingBack({ revision, current, serverNames })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {hasMore && (
        <Group justify="center">
          <Button variant="default" onClick={() => setPages((p) => p + 1)}>
            Show older revisions
          </Button>
        </Group>
      )}
      {rollingBack && (
        <RollbackModal
          group={group}
          {...rollingBack}
          onClose={() => setRollingBack(null)}
          onDone={() => {
            setRollingBack(null);
            setOpen(null);
            setPages(1);
            setGeneration((g) => g + 1);
            onRolledBack();
          }}
        />
      )}
    </Stack>
  );
}

/** One page of revisions; it reads one more than it shows, so its oldest row has the revision before it to compare. */
function RevisionRows(props: {
  group: GroupDetail;
  page: number;
  open: number | null;
  setOpen(revision: number | null): void;
  onHasMore?: (more: boolean) => void;
  onRollBack(revision: Revision, current: Revision, serverNames: Map<string, string>): void;
}) {
  const { group, page, open, setOpen, onHasMore } = props;
  const me = useSession().me!;
  const [result] = useQuery({ query: RevisionsQuery, variables: { groupId: group.id, first: PAGE + 1, offset: page * PAGE }, requestPolicy: 'network-only' });
  const [newest] = useQuery({ query: RevisionsQuery, variables: { groupId: group.id, first: PAGE + 1, offset: 0 }, pause: page === 0 });
  const all = result.data?.groupRevisions ?? [];
  const more = all.length > PAGE;
  useEffect(() => onHasMore?.(more), [more, onHasMore]);
  const current = page === 0 ? all[0] : newest.data?.groupRevisions[0];
  const serverNames = new Map<string, string>([
    ...(result.data?.servers ?? []).map((s) => [s.id, s.slug] as [string, string]),
    ...group.servers.map((s) => [s.id, s.slug] as [string, string]),
  ]);

  if (!result.data) {
    return (
      <Table.Tr>
        <Table.Td colSpan={5}>{result.error ? <ErrorNotice error={result.error} title="Revisions could not be loaded" /> : <Loading label="Loading revisions" />}</Table.Td>
      </Table.Tr>
    );
  }
  return (
    <>
      {all.slice(0, PAGE).map((r, i) => {
        const previous = all[i + 1] ?? null;
        const isOpen = open === r.revision;
        const isCurrent = page === 0 && i === 0;
        return (
          <Fragment key={r.id}>
            <Table.Tr>
              <Table.Td>
                <Text fw={600} span>
                  #{r.revision}
                </Text>{' '}
                {isCurrent && <Badge variant="light">current</Badge>}
              </Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {r.reason}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={r.createdBy ?? undefined}>
                  {r.createdBy === me.id ? 'you' : r.createdBy ? 'another user' : 'a removed account'}
                </Text>
              </Table.Td>
              <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button
                    size="xs"
                    variant={isOpen ? 'filled' : 'default'}
                    leftSection={<IconGitCompare size={14} aria-hidden />}
                    onClick={() => setOpen(isOpen ? null : r.revision)}
                    aria-expanded={isOpen}
                    aria-label={`${isOpen ? 'Hide changes' : 'Changes'} in revision ${r.revision}`}
                  >
                    {isOpen ? 'Hide changes' : 'Changes'}
                  </Button>
                  {!isCurrent && current && (
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<IconArrowBackUp size={14} aria-hidden />}
                      onClick={() => props.onRollBack(r, current, serverNames)}
                      aria-label={`Roll back to revision ${r.revision}`}
                    >
                      Roll back
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
            {isOpen && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Box py="xs">
                    <Title order={3} size="h6" mb="xs">
                      {previous ? `Changes from revision ${previous.revision} to ${r.revision}` : `Revision ${r.revision} (the first)`}
                    </Title>
                    <RevisionDiff before={previous} after={r} serverNames={serverNames} />
                  </Box>
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        );
      })}
    </>
  );
}

function RollbackModal(props: {
  group: GroupDetail;
  revision: Revision;
  current: Revision;
  serverNames: Map<string, string>;
  onClose(): void;
  onDone(): void;
}) {
  const { group, revision, current } = props;
  const [state, rollback] = useMutation(RollbackMutation);
  async function confirm() {
    const result = await rollback({ groupId: group.id, revision: revision.revision });
    if (!result.data) return;
    notifications.show({ color: 'teal', message: `${group.name} is back at revision ${revision.revision}` });
    props.onDone();
  }
  return (
    <Modal opened onClose={props.onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Roll back ${group.name} to revision ${revision.revision}?`} size="xl">
      <Stack>
        <Text size="sm">
          The group’s settings, servers, tool filter and routing rules become what they were at revision {revision.revision}, at once for every agent. This is recorded as a new revision.
        </Text>
        <Title order={3} size="h6">
          What changes (current → revision {revision.revision})
        </Title>
        <RevisionDiff before={current} after={revision} serverNames={props.serverNames} />
        <ErrorNotice error={state.error} title="Not rolled back" />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="orange.9" onClick={() => void confirm()} loading={state.fetching}>
            Roll back to revision {revision.revision}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
