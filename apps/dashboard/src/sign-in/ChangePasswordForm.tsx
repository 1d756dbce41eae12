import { Button, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

/** Changing the password ends every other session of the person (the hub does that); this one stays. */
export function ChangePasswordForm({ hasPassword = true, onChanged }: { hasPassword?: boolean; onChanged(): void }) {
  const [state, change] = useMutation(ChangePasswordMutation);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && confirm !== next ? 'The two new passwords differ' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    const result = await change({ currentPassword: hasPassword ? current : null, newPassword: next });
    if (result.data?.changePassword) {
      setCurrent('');
      setNext('');
      setConfirm('');
      onChanged();
    }
  }

  const errors = fieldErrors(state.error, '');
  return (
    <form onSubmit={submit}>
      <Stack>
        <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Password not changed" />
        {hasPassword && (
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.currentPassword}
          />
        )}
        <PasswordInput
          label="New password"
          description="At least 12 characters"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={errors.newPassword}
        />
        <PasswordInput
          label="Repeat the new password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={mismatch}
        />
        <Button type="submit" loading={state.fetching} disabled={!!mismatch}>
          Change password
        </Button>
      </Stack>
    </form>
  );
}
