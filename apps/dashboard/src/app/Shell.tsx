import { ActionIcon, AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text, Tooltip, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLogout, IconMoon, IconSun, IconTopologyStar3 } from '@tabler/icons-react';
import { Fragment, Suspense } from 'react';
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/session';
import { Loading } from '../ui/Loading';
import { NAVIGATION } from './navigation';

export function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to ${next} theme`}>
        {scheme === 'dark' ? <IconSun size={18} aria-hidden /> : <IconMoon size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The signed-in frame: header (theme, account menu), sidebar navigation, the page in <main>. */
export function Shell() {
  const session = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const me = session.me!;
  const items = NAVIGATION.filter((item) => !item.visible || item.visible(me));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <IconTopologyStar3 size={22} aria-hidden />
            <Text fw={700} component={Link} to="/">
              MCP Hub
            </Text>
          </Group>
          <Group gap="sm">
            <ThemeToggle />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${me.email}`}>
                  <Group gap={4}>
                    <Text size="sm">{me.displayName ?? me.email}</Text>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.role}</Menu.Label>
                <Menu.Item component={Link} to="/profile">
                  Profile
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={14} aria-hidden />} onClick={() => void session.signOut()}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {items.map((item, i) => (
            <Fragment key={item.path}>
              {item.section && item.section !== items[i - 1]?.section && (
                <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="md" pb={4}>
                  {item.section}
                </Text>
              )}
              <NavLink
                component={RouterNavLink}
                to={item.path}
                end={item.path === '/'}
                label={item.label}
                leftSection={<item.icon size={18} aria-hidden />}
                active={item.path === '/' ? location.pathname === '/' : location.pathname.startsWith(item.path)}
                onClick={close}
              />
            </Fragment>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
