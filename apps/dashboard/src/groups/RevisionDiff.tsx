import { Box, Text } from '@mantine/core';
import { diffLines } from 'diff';
import { describeSnapshot, type SnapshotLike } from './revision-text';

/**
 * A line diff of two revisions as readable text (servers by slug, rules as their settings). Removed lines start
 * with "−", added ones with "+", so the change does not depend on color.
 */
export function RevisionDiff({ before, after, serverNames }: { before: { snapshot: SnapshotLike } | null; after: { snapshot: SnapshotLike }; serverNames: Map<string, string> }) {
  const parts = diffLines(before ? describeSnapshot(before.snapshot, serverNames) : '', describeSnapshot(after.snapshot, serverNames));
  const changed = parts.some((p) => p.added || p.removed);
  return (
    <Box
      component="pre"
      m={0}
      p="xs"
      fz="sm"
      ff="monospace"
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}
      aria-label={changed ? 'Changed lines: removed lines start with a minus sign, added lines with a plus sign' : 'No differences'}
    >
      {!changed && (
        <Text span size="sm" c="dimmed">
          No configuration differences (the revision only recorded the change).
        </Text>
      )}
      {parts.flatMap((part, i) =>
        part.value
          .replace(/\n$/, '')
          .split('\n')
          .map((line, j) => {
            const sign = part.added ? '+' : part.removed ? '−' : ' ';
            const style = part.added
              ? { background: 'var(--mantine-color-green-light)' }
              : part.removed
                ? { background: 'var(--mantine-color-red-light)' }
                : undefined;
            if (!changed) return null;
            const Tag = part.added ? 'ins' : part.removed ? 'del' : 'span';
            return (
              <Tag key={`${i}-${j}`} data-diff={part.added ? 'added' : part.removed ? 'removed' : 'same'} style={{ display: 'block', textDecoration: 'none', ...style }}>
                {sign} {line}
              </Tag>
            );
          }),
      )}
    </Box>
  );
}
