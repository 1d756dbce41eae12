import { Code, Radio, Stack } from '@mantine/core';

export type CredentialScope = 'SHARED' | 'PER_USER';

/** Whose credentials fill the server's `${NAME}`s: the owner's for everyone, or each caller's own. */
export function CredentialScopeField({ value, onChange, error }: { value: CredentialScope; onChange(value: CredentialScope): void; error?: string }) {
  return (
    <Radio.Group
      label="Credentials"
      description={
        <>
          Whose credentials fill the <Code fz="inherit">{'${NAME}'}</Code>s of this server
        </>
      }
      value={value}
      onChange={(v) => onChange(v as CredentialScope)}
      error={error}
    >
      <Stack gap="xs" mt="xs">
        <Radio value="SHARED" label="Shared" description="One connection for everyone, filled from the owner's credentials" />
        <Radio value="PER_USER" label="Per user" description="One connection per person, filled from each caller's own credentials" />
      </Stack>
    </Radio.Group>
  );
}
