import { ActionIcon, Badge, Button, Group, Menu, NativeSelect, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDots, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { useQuery } from 'urql';
import { graphql, type ResultOf, type VariablesOf } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/format';
import { CreateUserModal } from './CreateUserModal';
import { ROLE_COLORS, ROLES, roleLabel, type RoleName } from './roles';
import { UserDialog, type DialogUser, type UserDialogKind } from './UserDialogs';

const UserListQuery = graphql(`
  query UserList($filter: UserFilter, $first: Int, $after: String) {
    userList(filter: $filter, first: $first, after: $after) {
      nodes { id email displayName role disabled passwordChangeRequired createdAt }
      endCursor
      hasNextPage
    }
  }
`);

type UserRow = ResultOf<typeof UserListQuery>['userList']['nodes'][number];
type Filter = NonNullable<VariablesOf<typeof UserListQuery>['filter']>;
interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

const PAGE_SIZE = 50;
const STATUS = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'disabled', label: 'Disabled' },
];

/** Accounts of the hub. Admins manage them; auditors see the same list without the actions. */
export default function UsersPage() {
  const me = useSession().me!;
  const canManage = me.role === 'ADMIN';
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<{ kind: UserDialogKind; user: DialogUser } | null>(null);
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const filter: Filter = {
    search: debouncedSearch || null,
    role: (role || null) as RoleName | null,
    disabled: status ? status === 'disabled' : null,
  };

  return (
    <>
      <PageHeader
        title="Users"
        description={canManage ? 'Accounts that can sign in to this hub' : 'Accounts that can sign in to this hub (read-only for auditors)'}
        actions={
          canManage && (
            <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              New user
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Email or name"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
        />
        <NativeSelect
          label="Role"
          data={[{ value: '', label: 'Any role' }, ...ROLES.map((r) => ({ value: r.value, label: r.label }))]}
          value={role}
          onChange={(e) => setRole(e.currentTarget.value)}
        />
        <NativeSelect label="Status" data={STATUS} value={status} onChange={(e) => setStatus(e.currentTarget.value)} />
      </Group>
      {/* A new filter starts again from the first page. */}
      <UsersTable key={JSON.stringify(filter)} filter={filter} meId={me.id} canManage={canManage} onAction={(kind, user) => setDialog({ kind, user })} />
      {canManage && <CreateUserModal opened={creating} onClose={() => setCreating(false)} />}
      {dialog && <UserDialog kind={dialog.kind} user={dialog.user} self={dialog.user.id === me.id} onClose={() => setDialog(null)} />}
    </>
  );
}

/** The list a page at a time: each loaded page stays its own query, so changes refetch the pages they touch. */
function UsersTable({ filter, meId, canManage, onAction }: { filter: Filter; meId: string; canManage: boolean; onAction(kind: UserDialogKind, user: DialogUser): void }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pages, setPages] = useState<Record<number, PageInfo>>({});
  const last = pages[cursors.length - 1];
  return (
    <>
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Created</Table.Th>
              {canManage && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          {cursors.map((after, index) => (
            <UserRows
              key={after ?? 'first'}
              filter={filter}
              after={after}
              first={index === 0}
              meId={meId}
              canManage={canManage}
              onAction={onAction}
              index={index}
              setPages={setPages}
            />
          ))}
        </Table>
      </Table.ScrollContainer>
      {last?.hasNextPage && last.endCursor && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => setCursors((current) => [...current, last.endCursor])}>
            Show more users
          </Button>
        </Group>
      )}
    </>
  );
}

function UserRows({
  filter,
  after,
  first,
  meId,
  canManage,
  onAction,
  index,
  setPages,
}: {
  filter: Filter;
  after: string | null;
  first: boolean;
  meId: string;
  canManage: boolean;
  onAction(kind: UserDialogKind, user: DialogUser): void;
  index: number;
  setPages: Dispatch<SetStateAction<Record<number, PageInfo>>>;
}) {
  const [result] = useQuery({ query: UserListQuery, variables: { filter, first: PAGE_SIZE, after } });
  const page = result.data?.userList;
  const loaded = page !== undefined;
  const endCursor = page?.endCursor ?? null;
  const hasNextPage = page?.hasNextPage ?? false;
  useEffect(() => {
    if (loaded) setPages((current) => ({ ...current, [index]: { endCursor, hasNextPage } }));
  }, [loaded, endCursor, hasNextPage, index, setPages]);
  const columns = canManage ? 5 : 4;
  if (!page) {
    return (
      <Table.Tbody>
        <Table.Tr>
          <Table.Td colSpan={columns}>{result.error ? <ErrorNotice error={result.error} title="Users could not be loaded" /> : <Loading label="Loading users" />}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    );
  }
  return (
    <Table.Tbody>
      {first && page.nodes.length === 0 && (
        <Table.Tr>
          <Table.Td colSpan={columns}>
            <Text c="dimmed" size="sm" py="md" ta="center">
              No user matches these filters.
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      {page.nodes.map((user) => (
        <UserRowView key={user.id} user={user} self={user.id === meId} canManage={canManage} onAction={onAction} />
      ))}
    </Table.Tbody>
  );
}

function UserRowView({ user, self, canManage, onAction }: { user: UserRow; self: boolean; canManage: boolean; onAction(kind: UserDialogKind, user: DialogUser): void }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <div>
            <Text size="sm" fw={500}>
              {user.displayName ?? user.email}
            </Text>
            {user.displayName && (
              <Text size="xs" c="dimmed">
                {user.email}
              </Text>
            )}
          </div>
          {self && (
            <Badge size="sm" variant="outline">
              You
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={ROLE_COLORS[user.role as RoleName] ?? 'gray'}>
          {roleLabel(user.role)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap={6}>
          {user.disabled ? (
            <Badge variant="dot" color="gray">
              Disabled
            </Badge>
          ) : (
            <Badge variant="dot" color="teal">
              Active
            </Badge>
          )}
          {user.passwordChangeRequired && !user.disabled && (
            <Badge variant="dot" color="yellow" title="Signs in with a password set for them and must choose their own">
              Must choose a password
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
      {canManage && (
        <Table.Td>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.email}`}>
                <IconDots size={18} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => onAction('role', user)}>Change role…</Menu.Item>
              <Menu.Item onClick={() => onAction('password', user)}>Set a new password…</Menu.Item>
              <Menu.Item onClick={() => onAction('sessions', user)}>End sessions…</Menu.Item>
              <Menu.Divider />
              {user.disabled ? (
                <Menu.Item onClick={() => onAction('enable', user)}>Enable…</Menu.Item>
              ) : (
                <Menu.Item color="red" onClick={() => onAction('disable', user)}>
                  Disable…
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
