import { Button, Code, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { CopyField } from '../ui/CopyField';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ShownOnceWarning } from '../ui/ShownOnceWarning';
import { fieldErrors } from '../ui/errors';
import { InitialPasswordInput } from './InitialPasswordInput';
import { ROLES, type RoleName } from './roles';

const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { id email role disabled passwordChangeRequired createdAt }
  }
`);

/** New account with an initial password; after creating, what to pass on to the person (shown until closed). */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const [state, create] = useMutation(CreateUserMutation);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<RoleName>('MEMBER');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);

  function close() {
    setEmail('');
    setDisplayName('');
    setRole('MEMBER');
    setPassword('');
    setCreated(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { email, displayName: displayName.trim() || null, role, password } });
    if (result.data) setCreated({ email: result.data.createUser.email, password });
  }

  const errors = fieldErrors(state.error);
  return (
    <Modal opened={opened} onClose={close} title={created ? 'User created' : 'New user'} size="lg" centered>
      {created ? (
        <Stack>
          <Text size="sm">
            Give <strong>{created.email}</strong> this password. They sign in with it once and are then asked to choose their own.
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code data-initial-password style={{ fontSize: 'var(--mantine-font-size-sm)', wordBreak: 'break-all' }}>
              {created.password}
            </Code>
            <CopyField value={created.password} label="Copy the initial password" />
          </Group>
          <ShownOnceWarning>
            The hub stores only a hash of it. If it gets lost, set a new password from the user&apos;s actions.
          </ShownOnceWarning>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="User not created" />
            <TextInput label="Email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} data-autofocus />
            <TextInput
              label="Display name"
              description="Optional"
              autoComplete="off"
              value={displayName}
              onChange={(e) => setDisplayName(e.currentTarget.value)}
              error={errors.displayName}
            />
            <Radio.Group label="Role" value={role} onChange={(value) => setRole(value as RoleName)} error={errors.role}>
              <Stack gap="xs" mt={6}>
                {ROLES.map((r) => (
                  <Radio key={r.value} value={r.value} label={r.label} description={r.description} />
                ))}
              </Stack>
            </Radio.Group>
            <InitialPasswordInput value={password} onChange={setPassword} error={errors.password} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching}>
                Create user
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
