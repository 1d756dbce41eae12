import { Button, Center, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBrandGithub, IconBrandWindows } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';

const ProvidersQuery = graphql(`
  query SignInProviders { signInProviders { provider label startUrl } }
`);

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { accessToken refreshToken expiresIn }
  }
`);

const PROVIDER_ICONS = { GITHUB: IconBrandGithub, AZURE_AD: IconBrandWindows } as const;

/** Only same-site paths: `next` comes from the URL and must not send a signed-in person elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function SignInPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const [providers] = useQuery({ query: ProvidersQuery });
  const [login, runLogin] = useMutation(LoginMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    document.title = 'Sign in · MCP Hub';
  }, []);

  if (session.signedIn) return <Navigate to={safeNext(params.get('next'))} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await runLogin({ email, password });
    if (result.data) session.signIn(result.data.login);
  }

  const errors = fieldErrors(login.error, '');
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Sign in to MCP Hub
          </Title>
          <ErrorNotice error={login.error && !Object.keys(errors).length ? login.error : null} title="Sign-in failed" />
          <form onSubmit={submit}>
            <Stack>
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={errors.email}
                data-autofocus
                autoFocus
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={errors.password}
              />
              <Button type="submit" loading={login.fetching}>
                Sign in
              </Button>
            </Stack>
          </form>
          {!!providers.data?.signInProviders.length && (
            <>
              <Divider label="or" labelPosition="center" />
              {providers.data.signInProviders.map((p) => {
                const Icon = PROVIDER_ICONS[p.provider];
                return (
                  <Button key={p.provider} component="a" href={p.startUrl} variant="default" leftSection={<Icon size={18} aria-hidden />}>
                    Sign in with {p.label}
                  </Button>
                );
              })}
            </>
          )}
          <Text size="xs" c="dimmed">
            First start? The hub printed the admin's email and a generated password in its console.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
