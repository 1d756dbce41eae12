import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../ui/PageHeader';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        Nothing lives at this address. <Anchor component={Link} to="/">Go to the overview</Anchor>.
      </Text>
    </>
  );
}
