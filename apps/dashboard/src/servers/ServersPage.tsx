import { Anchor, Badge, Button, Card, Group, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { HealthBadge } from './HealthBadge';
import { currentStatuses, overallHealth, useLiveHealth, type ReplicaStatus } from './health';
import { TRANSPORT_LABEL } from './transport';

const PAGE_SIZE = 50;

const ServerPageQuery = graphql(`
  query ServerList($first: Int, $after: String, $search: String) {
    serverPage(first: $first, after: $after, search: $search) {
      nodes {
        id name slug transport enabled tags
        replicas { id enabled }
        health { replicaId status checkedAt error }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

type ListedServer = ResultOf<typeof ServerPageQuery>['serverPage']['nodes'][number];

/** The servers the person can see, a page at a time, with health badges that follow the hub's live transitions. */
export default function ServersPage() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // One cursor per loaded page (null: the first); a new search starts over.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [next, setNext] = useState<string | null>(null);
  const live = useLiveHealth();
  useEffect(() => setCursors([null]), [debounced]);

  return (
    <>
      <PageHeader
        title="Servers"
        description="MCP servers registered on this hub that you can see; their health updates as checks run."
        actions={
          <Button component={Link} to="/servers/new" leftSection={<IconPlus size={16} aria-hidden />}>
            Register server
          </Button>
        }
      />
      <Card withBorder>
        <TextInput
          label="Search servers"
          placeholder="Name, slug or tag"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maw={360}
          mb="md"
          type="search"
        />
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Transport</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th>Tags</Table.Th>
                <Table.Th>Replicas</Table.Th>
                <Table.Th>Health</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cursors.map((after, i) => (
                <ServerRows
                  key={`${debounced}:${after ?? 'first'}`}
                  after={after}
                  search={debounced}
                  live={live}
                  first={i === 0}
                  onPage={(pageInfo) => i === cursors.length - 1 && setNext(pageInfo.hasNextPage ? pageInfo.endCursor : null)}
                  onSearchTag={setSearch}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {next && (
          <Group justify="center" mt="md">
            <Button variant="default" onClick={() => setCursors((c) => [...c, next])}>
              Load more servers
            </Button>
          </Group>
        )}
      </Card>
    </>
  );
}

function ServerRows({
  after,
  search,
  live,
  first,
  onPage,
  onSearchTag,
}: {
  after: string | null;
  search: string;
  live: Record<string, ReplicaStatus>;
  first: boolean;
  onPage(pageInfo: { endCursor: string | null; hasNextPage: boolean }): void;
  onSearchTag(tag: string): void;
}) {
  const [result] = useQuery({ query: ServerPageQuery, variables: { first: PAGE_SIZE, after, search: search || null } });
  const page = result.data?.serverPage;
  useEffect(() => {
    if (page) onPage(page.pageInfo);
  }, [page]);
  if (result.error) {
    return (
      <Table.Tr>
        <Table.Td colSpan={6}>
          <ErrorNotice error={result.error} />
        </Table.Td>
      </Table.Tr>
    );
  }
  if (!page) {
    return (
      <Table.Tr>
        <Table.Td colSpan={6}>
          <Loading label="Loading servers" />
        </Table.Td>
      </Table.Tr>
    );
  }
  if (first && page.nodes.length === 0) {
    return (
      <Table.Tr>
        <Table.Td colSpan={6}>
          <Text c="dimmed" ta="center" py="lg">
            {search ? `No server matches “${search}”.` : 'No servers yet. Register one to put its tools in a group.'}
          </Text>
        </Table.Td>
      </Table.Tr>
    );
  }
  return page.nodes.map((server) => <ServerRow key={server.id} server={server} live={live} onSearchTag={onSearchTag} />);
}

function ServerRow({ server, live, onSearchTag }: { server: ListedServer; live: Record<string, ReplicaStatus>; onSearchTag(tag: string): void }) {
  const replicaIds = [server.id, ...server.replicas.filter((r) => r.enabled).map((r) => r.id)];
  const state = overallHealth(replicaIds, currentStatuses(replicaIds, server.health, live));
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/servers/${server.id}`} fw={600}>
          {server.name}
        </Anchor>
        <Text size="xs" c="dimmed" ff="monospace">
          {server.slug}
        </Text>
      </Table.Td>
      <Table.Td>{TRANSPORT_LABEL[server.transport]}</Table.Td>
      <Table.Td>
        <Text size="sm" c={server.enabled ? undefined : 'dimmed'}>
          {server.enabled ? 'yes' : 'no'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {server.tags.map((tag) => (
            <Badge key={tag} variant="default" tt="none" component="button" type="button" onClick={() => onSearchTag(tag)} style={{ cursor: 'pointer' }} aria-label={`Show servers tagged ${tag}`}>
              {tag}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>{server.replicas.length + 1}</Table.Td>
      <Table.Td>
        <HealthBadge state={state} />
      </Table.Td>
    </Table.Tr>
  );
}
