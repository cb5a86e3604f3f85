import { Badge, Button, Layout, Menu, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useNotifications } from '../hooks/api/notifications';
import { useTasks } from '../hooks/api/tasks';
import { useOrderEventStream } from '../lib/events';
import { hasRole, OPERATORS } from '../lib/roles';
import { useMe, useSession } from '../lib/session';
import { PAGES } from '../routes';
import { LanguageSwitch } from './language-switch';
import { useSavedViewsNav } from './saved-views-nav';

const GROUPS = ['work', 'data', 'manage', 'reports', 'audit', 'admin'] as const;

/** The frame around every signed-in page: navigation by role, the live indicator, language, sign-out. */
export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut, signOutEverywhere } = useSession();
  const location = useLocation();
  const stream = useOrderEventStream(true);
  const [collapsed, setCollapsed] = useState(false);
  const operator = hasRole(me.roles, OPERATORS);
  const mine = useTasks('mine', operator, true);
  const unassigned = useTasks('unassigned', operator, true);
  const unread = useNotifications(true);
  const taskCount = mine.data?.items.length ?? 0;
  const unassignedCount = unassigned.data?.items.length ?? 0;
  const unreadCount = unread.data?.items.length ?? 0;
  const savedViews = useSavedViewsNav();

  const items = useMemo<MenuProps['items']>(
    () =>
      GROUPS.map((group) => {
        const children = PAGES.filter(
          (page) => page.nav?.group === group && hasRole(me.roles, page.roles),
        ).map((page) => {
          const label = t(page.nav!.key);
          const count =
            page.path === '/tasks'
              ? taskCount
              : page.path === '/tasks/unassigned'
                ? unassignedCount
                : page.path === '/notifications'
                  ? unreadCount
                  : 0;
          return {
            key: page.path,
            label: (
              <Link to={page.path}>
                <Space>
                  {label}
                  {count > 0 && (
                    <Badge
                      count={count}
                      size="small"
                      // A darker red than antd's: white digits on it stay readable (4.5:1), also as "99+".
                      color="#cf1322"
                      aria-label={t('nav.count', { count })}
                      data-testid={`nav-count${page.path.replace(/\//g, '-')}`}
                    />
                  )}
                </Space>
              </Link>
            ),
          };
        });
        return children.length > 0
          ? { type: 'group' as const, key: group, label: t(`nav.group.${group}`), children }
          : null;
      }).filter((item) => item !== null),
    [me.roles, t, taskCount, unassignedCount, unreadCount],
  );
  const selected =
    PAGES.filter(
      (page) =>
        page.nav && (location.pathname === page.path || location.pathname.startsWith(`${page.path}/`)),
    ).sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '';

  return (
    <Layout className="shell">
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={220}
        theme="light"
        className="shell-sider"
      >
        <div className="shell-brand">{t('app.name')}</div>
        <nav aria-label={t('layout.navigation')}>
          <Menu
            mode="inline"
            selectedKeys={[savedViews.selected ?? selected]}
            items={savedViews.insert(items)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Space size="middle" wrap>
            <Tooltip title={t(`layout.stream.${stream}`)}>
              <Tag
                color={stream === 'live' ? 'green' : 'orange'}
                data-testid="stream-state"
                data-state={stream}
              >
                {t(`layout.stream.${stream}`)}
              </Tag>
            </Tooltip>
            <LanguageSwitch />
            <Typography.Text data-testid="signed-in-user">
              {me.username} · {me.roles.map((role) => t(`roles.${role}`)).join(', ')}
            </Typography.Text>
            <Button onClick={() => void signOut()}>{t('layout.signOut')}</Button>
            <Tooltip title={t('layout.signOutEverywhereHint')}>
              <Button onClick={() => void signOutEverywhere()}>{t('layout.signOutEverywhere')}</Button>
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
