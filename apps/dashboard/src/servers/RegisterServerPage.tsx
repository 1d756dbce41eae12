import { Anchor, Card } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { PageHeader } from '../ui/PageHeader';
import { ServerForm, emptyServerForm, registerInput } from './ServerForm';

const RegisterServerMutation = graphql(`
  mutation RegisterServer($input: RegisterServerInput!) { registerServer(input: $input) { id name } }
`);

export default function RegisterServerPage() {
  const me = useSession().me!;
  const navigate = useNavigate();
  const [registered, register] = useMutation(RegisterServerMutation);
  const mayRunCommands = me.role === 'ADMIN';
  return (
    <>
      <PageHeader
        title="Register a server"
        description={
          <>
            Then test the connection to see its tools, and add it to a group. <Anchor component={Link} to="/servers">Back to servers</Anchor>
          </>
        }
      />
      <Card withBorder>
        <ServerForm
          initial={emptyServerForm(mayRunCommands ? 'STDIO' : 'STREAMABLE_HTTP')}
          submitLabel="Register server"
          mayRunCommands={mayRunCommands}
          error={registered.error}
          submitting={registered.fetching}
          onCancel={() => navigate('/servers')}
          onSubmit={(values) =>
            void register({ input: registerInput(values) }).then((result) => {
              if (!result.data) return;
              notifications.show({ color: 'teal', message: `${result.data.registerServer.name} is registered. Test its connection to see what it offers.` });
              navigate(`/servers/${result.data.registerServer.id}`);
            })
          }
        />
      </Card>
    </>
  );
}
