import { Anchor, Center, Loader, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { errorMessage } from '../ui/errors';

const ExchangeMutation = graphql(`
  mutation ExchangeSignInCode($code: String!) {
    exchangeSignInCode(code: $code) { accessToken refreshToken expiresIn }
  }
`);

const CompleteLinkMutation = graphql(`
  mutation CompleteProviderLink($code: String!) {
    completeProviderLink(code: $code) { id provider email }
  }
`);

/**
 * Where GitHub / Azure AD sign-ins land: `?code=` (sign-in), `?linkCode=` (linking an account to the signed-in
 * person) or `?error=&message=`. Codes are single-use, so the exchange runs once even under StrictMode.
 */
export function CallbackPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [, exchange] = useMutation(ExchangeMutation);
  const [, completeLink] = useMutation(CompleteLinkMutation);
  const [failure, setFailure] = useState<string | null>(params.get('error') ? (params.get('message') ?? params.get('error')) : null);
  const started = useRef(false);

  useEffect(() => {
    document.title = 'Signing in · MCP Hub';
    if (started.current || failure) return;
    started.current = true;
    const code = params.get('code');
    const linkCode = params.get('linkCode');
    // Drop the code from the address bar and history at once.
    history.replaceState(null, '', '/sign-in/callback');
    if (code) {
      void exchange({ code }).then((result) => {
        if (!result.data) return setFailure(errorMessage(result.error) ?? 'Sign-in failed');
        session.signIn(result.data.exchangeSignInCode);
        navigate('/', { replace: true });
      });
    } else if (linkCode) {
      void completeLink({ code: linkCode }).then((result) => {
        if (!result.data) return setFailure(errorMessage(result.error) ?? 'Linking failed');
        navigate('/profile?linked=' + result.data.completeProviderLink.provider, { replace: true });
      });
    } else {
      setFailure('This sign-in link is incomplete: start again from the sign-in page.');
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w={440} maw="100%">
        <Stack>
          <Title order={1} size="h3">
            {failure ? 'Sign-in did not complete' : 'Signing in…'}
          </Title>
          {failure ? <ErrorNotice message={failure} title="The provider or the hub refused" /> : <Loader role="status" aria-label="Signing in" />}
          {failure && (
            <Anchor component={Link} to={session.signedIn ? '/profile' : '/sign-in'}>
              {session.signedIn ? 'Back to your profile' : 'Back to sign-in'}
            </Anchor>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
