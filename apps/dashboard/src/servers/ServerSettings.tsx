import { Card } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ServerForm, serverFormFrom, updateInput } from './ServerForm';
import type { ServerDetail } from './server-detail.query';

const UpdateServerMutation = graphql(`
  mutation UpdateServer($id: ID!, $input: UpdateServerInput!) { updateServer(id: $id, input: $input) { id } }
`);

/** Editing the server; stored env and header values stay unless replaced or removed. */
export function ServerSettings({ server, onSaved }: { server: ServerDetail; onSaved(): void }) {
  const me = useSession().me!;
  const [updated, update] = useMutation(UpdateServerMutation);
  return (
    <Card withBorder>
      <ServerForm
        // A fresh form for each saved version (stored secrets become "set" rows again).
        key={server.updatedAt}
        initial={serverFormFrom(server)}
        submitLabel="Save changes"
        mayRunCommands={me.role === 'ADMIN'}
        error={updated.error}
        submitting={updated.fetching}
        onSubmit={(values) =>
          void update({ id: server.id, input: updateInput(values) }).then((result) => {
            if (!result.data) return;
            notifications.show({ color: 'teal', message: 'Saved. Agents see the change at once.' });
            onSaved();
          })
        }
      />
    </Card>
  );
}
