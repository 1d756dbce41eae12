import { Button, Card, Code, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useSession } from '../session/session';
import { ConfirmModal } from '../ui/ConfirmModal';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { CredentialTable } from './CredentialTable';
import { SetCredentialModal, type SetCredentialRequest } from './SetCredentialModal';
import { placeLabel } from './credential-places';
import { CredentialsQuery, DeleteCredentialMutation, type Credential, type CredentialPlace } from './credentials.query';

function Section({ id, title, description, action, children }: { id: string; title: string; description: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {action && <div>{action}</div>}
        {children}
      </Stack>
    </Card>
  );
}

function AddButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={onClick}>
      {label}
    </Button>
  );
}

/**
 * Settings → Credentials: the values servers' `${NAME}`s are filled from — your own first, then your teams', then
 * the hub's (those two only in servers of someone who may manage them). Values are write-only; the hub says which
 * place each person may change, the page only mirrors it.
 */
export default function CredentialsPage() {
  const me = useSession().me!;
  const [params, setParams] = useSearchParams();
  // With the typename, the first credential saved refreshes an empty list too.
  const context = useMemo(() => ({ additionalTypenames: ['Credential', 'Team'] }), []);
  const [result] = useQuery({ query: CredentialsQuery, context });
  const [deleteState, deleteCredential] = useMutation(DeleteCredentialMutation);
  const asked = params.get('set');
  const [request, setRequest] = useState<SetCredentialRequest | null>(asked ? { place: { scope: 'USER' }, name: asked, replacing: false } : null);
  const [deleting, setDeleting] = useState<Credential | null>(null);

  function closeRequest() {
    setRequest(null);
    if (params.has('set')) setParams({}, { replace: true });
  }
  const add = (place: CredentialPlace) => setRequest({ place, name: '', replacing: false });
  const replace = (place: CredentialPlace) => (c: Credential) => setRequest({ place, name: c.name, replacing: true });

  async function confirmDelete(credential: Credential) {
    const res = await deleteCredential({ id: credential.id }, { additionalTypenames: ['Credential'] });
    if (!res.data) return;
    setDeleting(null);
    notifications.show({ color: 'teal', message: `${credential.name} deleted` });
  }

  const data = result.data;
  const mine = data?.credentials.filter((c) => c.scope === 'USER') ?? [];
  const hub = data?.credentials.filter((c) => c.scope === 'HUB') ?? [];
  const myTeams = data?.teams.filter((t) => t.myRole !== null) ?? [];
  // Same rule as the hub's: a team's OWNERs (auditors excepted) and admins set its credentials.
  const managesTeam = (role: string | null) => me.role === 'ADMIN' || (me.role === 'MEMBER' && role === 'OWNER');
  const seesHub = me.role === 'ADMIN' || me.role === 'AUDITOR';

  return (
    <>
      <PageHeader
        title="Credentials"
        description={
          <>
            Settings → Credentials. Secrets servers refer to as <Code>{'${NAME}'}</Code> in arguments, environment values, URLs and headers: your own credential
            is used first, then one of your teams', then the hub's. A team's or the hub's fills only servers owned by someone who may manage it (the team's
            owners, admins). Values are stored encrypted and never shown again.
          </>
        }
      />
      <ErrorNotice error={result.error} title="Credentials could not be loaded" />
      {!data && !result.error && <Loading label="Loading credentials" />}
      {data && (
        <Stack gap="lg">
          <Section
            id="own-credentials"
            title="Your credentials"
            description="Used for you: by servers set to per-user credentials, and by the servers you own for everyone."
            action={<AddButton label="Add credential" onClick={() => add({ scope: 'USER' })} />}
          >
            <CredentialTable
              label="Your credentials"
              credentials={mine}
              manage
              empty="None yet."
              onReplace={replace({ scope: 'USER' })}
              onDelete={setDeleting}
            />
          </Section>

          <Section
            id="team-credentials"
            title="Team credentials"
            description="For everyone in the team, in servers the team's owners (or admins) own; the owners set them. Teams are tried by slug."
          >
            {myTeams.length === 0 && (
              <Text size="sm" c="dimmed">
                You are in no team.
              </Text>
            )}
            {myTeams.map((team) => {
              const place: CredentialPlace = { scope: 'TEAM', teamId: team.id, teamName: team.name };
              const manage = managesTeam(team.myRole);
              return (
                <Stack key={team.id} gap="xs">
                  <Title order={3} size="h5">
                    {team.name}
                  </Title>
                  {manage ? (
                    <div>
                      <AddButton label={`Add a credential to ${team.name}`} onClick={() => add(place)} />
                    </div>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Read-only: the team's owners set these.
                    </Text>
                  )}
                  <CredentialTable
                    label={`Credentials of ${team.name}`}
                    credentials={data.credentials.filter((c) => c.scope === 'TEAM' && c.teamId === team.id)}
                    manage={manage}
                    empty="None yet."
                    onReplace={replace(place)}
                    onDelete={setDeleting}
                  />
                </Stack>
              );
            })}
          </Section>

          <Section
            id="hub-credentials"
            title="Hub credentials"
            description={
              seesHub
                ? 'For anyone who has neither their own nor a team’s, in servers an admin owns. Admins set them; auditors read their names.'
                : 'For anyone who has neither their own nor a team’s, in servers an admin owns. Admins manage them.'
            }
            action={me.role === 'ADMIN' && <AddButton label="Add hub credential" onClick={() => add({ scope: 'HUB' })} />}
          >
            {seesHub && (
              <CredentialTable
                label="Hub credentials"
                credentials={hub}
                manage={me.role === 'ADMIN'}
                empty="None yet."
                onReplace={replace({ scope: 'HUB' })}
                onDelete={setDeleting}
              />
            )}
          </Section>
        </Stack>
      )}
      <SetCredentialModal request={request} onClose={closeRequest} />
      <ConfirmModal
        opened={deleting !== null}
        title={deleting ? `Delete ${deleting.name}?` : ''}
        confirmLabel="Delete credential"
        loading={deleteState.fetching}
        error={deleteState.error}
        onConfirm={() => deleting && void confirmDelete(deleting)}
        onClose={() => setDeleting(null)}
      >
        {deleting && (
          <>
            This deletes{' '}
            {deleting.scope === 'USER'
              ? 'your own'
              : placeLabel(
                  deleting.scope === 'TEAM' ? { scope: 'TEAM', teamId: deleting.teamId ?? '', teamName: deleting.teamName ?? 'the team' } : { scope: 'HUB' },
                )}{' '}
            <Code>{deleting.name}</Code>. Servers that use it fall back to the next place that has one, or refuse calls naming it; their open connections are
            recycled.
          </>
        )}
      </ConfirmModal>
    </>
  );
}
