import { Button, Group } from '@mantine/core';

/** The "Load more" button under a list read page by page (useCursorPages); nothing once the last page is in. */
export function LoadMore({ pages }: { pages: { hasNextPage: boolean; loading: boolean; loadMore: () => void } }) {
  if (!pages.hasNextPage) return null;
  return (
    <Group justify="center" mt="md">
      <Button variant="default" onClick={pages.loadMore} loading={pages.loading}>
        Load more
      </Button>
    </Group>
  );
}
