import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useSession } from '../session/session';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown instead of any page while the password is one the person did not choose (generated, or set by an admin). */
export function PasswordChangePrompt() {
  const session = useSession();
  useEffect(() => {
    document.title = 'Choose your password · MCP Hub';
  }, []);
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={440} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Choose your own password
          </Title>
          <Text size="sm">
            You signed in as {session.me?.email} with a password that was generated or set for you. Choose your own before going on.
          </Text>
          <ChangePasswordForm onChanged={session.refetchMe} />
          <Button variant="subtle" onClick={() => void session.signOut()}>
            Sign out
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
