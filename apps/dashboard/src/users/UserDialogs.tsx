import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ConfirmModal } from '../ui/ConfirmModal';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { InitialPasswordInput } from './InitialPasswordInput';
import { ROLES, roleLabel, type RoleName } from './roles';

const UpdateUserMutation = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { id role disabled passwordChangeRequired }
  }
`);
const DisableUserMutation = graphql(`
  mutation DisableUser($id: ID!) { disableUser(id: $id) { id disabled } }
`);
const RevokeUserSessionsMutation = graphql(`
  mutation RevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }
`);

export interface DialogUser {
  id: string;
  email: string;
  displayName: string | null;
  role: string;
  disabled: boolean;
}

export type UserDialogKind = 'role' | 'password' | 'sessions' | 'disable' | 'enable';

const nameOf = (user: DialogUser) => user.displayName ?? user.email;
const done = (message: string) => notifications.show({ color: 'teal', message });

/** One admin action on one account; `self` warns that it signs the admin out too. */
export function UserDialog({ kind, user, self, onClose }: { kind: UserDialogKind; user: DialogUser; self: boolean; onClose(): void }) {
  if (kind === 'role') return <RoleDialog user={user} self={self} onClose={onClose} />;
  if (kind === 'password') return <PasswordDialog user={user} self={self} onClose={onClose} />;
  if (kind === 'sessions') return <SessionsDialog user={user} self={self} onClose={onClose} />;
  return <DisabledDialog user={user} disable={kind === 'disable'} self={self} onClose={onClose} />;
}

function RoleDialog({ user, self, onClose }: { user: DialogUser; self: boolean; onClose(): void }) {
  const [state, update] = useMutation(UpdateUserMutation);
  const [role, setRole] = useState(user.role as RoleName);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await update({ id: user.id, input: { role } });
    if (result.data) {
      done(`${nameOf(user)} is now ${roleLabel(role)}; their sessions were ended`);
      onClose();
    }
  }
  return (
    <Modal opened onClose={onClose} title={`Change the role of ${nameOf(user)}`} centered>
      <form onSubmit={submit}>
        <Stack>
          <Radio.Group label="Role" value={role} onChange={(value) => setRole(value as RoleName)}>
            <Stack gap="xs" mt={6}>
              {ROLES.map((r) => (
                <Radio key={r.value} value={r.value} label={r.label} description={r.description} />
              ))}
            </Stack>
          </Radio.Group>
          <Text size="sm" c="dimmed">
            {self ? 'This signs you out everywhere, this browser included.' : 'This signs them out everywhere: their tokens were issued for the old role.'}
          </Text>
          <ErrorNotice error={state.error} title="Role not changed" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching} disabled={role === user.role}>
              Change role
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PasswordDialog({ user, self, onClose }: { user: DialogUser; self: boolean; onClose(): void }) {
  const [state, update] = useMutation(UpdateUserMutation);
  const [password, setPassword] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await update({ id: user.id, input: { password } });
    if (result.data) {
      done(`New password set for ${nameOf(user)}; they choose their own at their next sign-in`);
      onClose();
    }
  }
  const errors = fieldErrors(state.error);
  return (
    <Modal opened onClose={onClose} title={`Set a new password for ${nameOf(user)}`} centered>
      <form onSubmit={submit}>
        <Stack>
          <InitialPasswordInput label="New password" value={password} onChange={setPassword} error={errors.password} />
          <Text size="sm" c="dimmed">
            {self ? 'This signs you out everywhere, this browser included.' : 'Their sessions end now; they sign in with this password and then choose their own.'}
          </Text>
          <ErrorNotice error={state.error && !errors.password ? state.error : null} title="Password not set" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SessionsDialog({ user, self, onClose }: { user: DialogUser; self: boolean; onClose(): void }) {
  const [state, revoke] = useMutation(RevokeUserSessionsMutation);
  return (
    <ConfirmModal
      opened
      title={`End the sessions of ${nameOf(user)}`}
      confirmLabel="End sessions"
      loading={state.fetching}
      error={state.error}
      onClose={onClose}
      onConfirm={() =>
        void revoke({ userId: user.id }).then((result) => {
          if (result.data === undefined) return;
          const n = result.data.revokeUserSessions;
          done(`${n} session${n === 1 ? '' : 's'} of ${nameOf(user)} ended`);
          onClose();
        })
      }
    >
      {self
        ? 'Signs you out on every device, this browser included.'
        : `Signs ${nameOf(user)} out on every device at once. They can sign in again; their API keys keep working.`}
    </ConfirmModal>
  );
}

function DisabledDialog({ user, disable, self, onClose }: { user: DialogUser; disable: boolean; self: boolean; onClose(): void }) {
  const [disabling, runDisable] = useMutation(DisableUserMutation);
  const [enabling, update] = useMutation(UpdateUserMutation);
  const state = disable ? disabling : enabling;
  async function confirm() {
    const result = disable ? await runDisable({ id: user.id }) : await update({ id: user.id, input: { disabled: false } });
    if (!result.data) return;
    done(disable ? `${nameOf(user)} is disabled and signed out` : `${nameOf(user)} can sign in again`);
    onClose();
  }
  return (
    <ConfirmModal
      opened
      title={`${disable ? 'Disable' : 'Enable'} ${nameOf(user)}`}
      confirmLabel={disable ? 'Disable user' : 'Enable user'}
      color={disable ? 'red' : undefined}
      loading={state.fetching}
      error={state.error}
      onClose={onClose}
      onConfirm={() => void confirm()}
    >
      {disable
        ? `${self ? 'You are' : `${nameOf(user)} is`} signed out everywhere at once and cannot sign in; their API keys stop working. Nothing they own is deleted.`
        : `${nameOf(user)} can sign in again and their API keys work again.`}
    </ConfirmModal>
  );
}
