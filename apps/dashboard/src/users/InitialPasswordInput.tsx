import { Button, Group, PasswordInput } from '@mantine/core';
import { IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyField } from '../ui/CopyField';
import { generatePassword } from './generate-password';

/** A password an admin sets for someone: typed or generated, shown so it can be passed on, copyable. */
export function InitialPasswordInput({ value, onChange, error, label = 'Initial password' }: { value: string; onChange(value: string): void; error?: string; label?: string }) {
  const [visible, setVisible] = useState(false);
  return (
    <div>
      <PasswordInput
        label={label}
        description="At least 12 characters. They are asked to choose their own when they sign in with it."
        autoComplete="new-password"
        required
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        visible={visible}
        onVisibilityChange={setVisible}
        error={error}
      />
      <Group gap="xs" mt={6}>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconWand size={14} aria-hidden />}
          onClick={() => {
            onChange(generatePassword());
            setVisible(true);
          }}
        >
          Generate a password
        </Button>
        {value && <CopyField value={value} label="Copy the password" />}
      </Group>
    </div>
  );
}
