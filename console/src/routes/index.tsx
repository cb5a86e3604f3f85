/**
 * Every page of the console, with the roles that may open it and its place in the navigation.
 */
import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Shell } from '../components/shell';
import type { Role } from '../lib/client';
import { ADMINS, ANYONE, hasRole, MANAGERS, OPERATORS, OVERSEERS } from '../lib/roles';
import { useSession } from '../lib/session';
import { LoginPage } from './login/login-page';
import { NotAllowedPage } from './not-allowed/not-allowed-page';

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

export interface PageRoute {
  path: string;
  roles: readonly Role[];
  Component: ComponentType;
  /** Shown in the navigation under this i18n key, in this group. */
  nav?: { key: string; group: 'work' | 'data' | 'manage' | 'reports' | 'audit' | 'admin' };
}

export const PAGES: PageRoute[] = [
  {
    path: '/orders',
    roles: ANYONE,
    Component: page(() => import('./orders/order-list/order-list-page'), 'OrderListPage'),
    nav: { key: 'nav.orders', group: 'work' },
  },
  {
    path: '/tasks',
    roles: OPERATORS,
    Component: page(() => import('./tasks/task-list/task-list-page'), 'TaskListPage'),
    nav: { key: 'nav.tasks', group: 'work' },
  },
  {
    path: '/tasks/unassigned',
    roles: OPERATORS,
    Component: page(() => import('./tasks/task-list/task-list-page'), 'TaskListPage'),
    nav: { key: 'nav.unassigned', group: 'work' },
  },
  {
    path: '/tasks/team',
    roles: MANAGERS,
    Component: page(() => import('./tasks/task-list/task-list-page'), 'TaskListPage'),
  },
  {
    path: '/inbound',
    roles: OPERATORS,
    Component: page(() => import('./inbound/inbound-list/inbound-list-page'), 'InboundListPage'),
    nav: { key: 'nav.inbound', group: 'work' },
  },
  {
    path: '/orders/new',
    roles: OPERATORS,
    Component: page(() => import('./orders/order-create/order-create-page'), 'OrderCreatePage'),
    nav: { key: 'nav.newOrder', group: 'work' },
  },
  {
    path: '/imports',
    roles: OPERATORS,
    Component: page(() => import('./imports/order-import/order-import-page'), 'OrderImportPage'),
    nav: { key: 'nav.imports', group: 'work' },
  },
  {
    path: '/imports/:id',
    roles: OPERATORS,
    Component: page(() => import('./imports/order-import/order-import-page'), 'OrderImportPage'),
  },
  {
    path: '/orders/:id',
    roles: ANYONE,
    Component: page(() => import('./orders/order-detail/order-detail-page'), 'OrderDetailPage'),
  },
  {
    path: '/quotes',
    roles: ANYONE,
    Component: page(() => import('./quotes/quote-list/quote-list-page'), 'QuoteListPage'),
    nav: { key: 'nav.quotes', group: 'work' },
  },
  {
    path: '/quotes/new',
    roles: OPERATORS,
    Component: page(() => import('./quotes/quote-create/quote-create-page'), 'QuoteCreatePage'),
  },
  {
    path: '/quotes/:id',
    roles: ANYONE,
    Component: page(() => import('./quotes/quote-detail/quote-detail-page'), 'QuoteDetailPage'),
  },
  {
    path: '/returns',
    roles: ANYONE,
    Component: page(() => import('./returns/return-list/return-list-page'), 'ReturnListPage'),
    nav: { key: 'nav.returns', group: 'work' },
  },
  {
    path: '/returns/:id',
    roles: ANYONE,
    Component: page(() => import('./returns/return-detail/return-detail-page'), 'ReturnDetailPage'),
  },
  {
    path: '/notifications',
    roles: ANYONE,
    Component: page(
      () => import('./notifications/notification-list/notification-list-page'),
      'NotificationListPage',
    ),
    nav: { key: 'nav.notifications', group: 'work' },
  },
  {
    path: '/profile',
    roles: ANYONE,
    Component: page(() => import('./profile/profile-settings/profile-settings-page'), 'ProfileSettingsPage'),
    nav: { key: 'nav.profile', group: 'work' },
  },
  {
    path: '/customers',
    roles: ANYONE,
    Component: page(() => import('./customers/customer-list/customer-list-page'), 'CustomerListPage'),
    nav: { key: 'nav.customers', group: 'data' },
  },
  {
    path: '/products',
    roles: ANYONE,
    Component: page(() => import('./products/product-list/product-list-page'), 'ProductListPage'),
    nav: { key: 'nav.products', group: 'data' },
  },
  {
    path: '/settings/approval',
    roles: MANAGERS,
    Component: page(
      () => import('./settings/approval-settings/approval-settings-page'),
      'ApprovalSettingsPage',
    ),
    nav: { key: 'nav.approval', group: 'manage' },
  },
  {
    path: '/settings/escalation',
    roles: MANAGERS,
    Component: page(
      () => import('./settings/escalation-settings/escalation-settings-page'),
      'EscalationSettingsPage',
    ),
    nav: { key: 'nav.escalation', group: 'manage' },
  },
  {
    path: '/locations',
    roles: MANAGERS,
    Component: page(() => import('./locations/location-list/location-list-page'), 'LocationListPage'),
    nav: { key: 'nav.locations', group: 'manage' },
  },
  {
    path: '/overdue',
    roles: MANAGERS,
    Component: page(() => import('./escalations/overdue-list/overdue-list-page'), 'OverdueListPage'),
    nav: { key: 'nav.overdue', group: 'manage' },
  },
  {
    path: '/settings/recipients',
    roles: MANAGERS,
    Component: page(
      () => import('./settings/recipient-settings/recipient-settings-page'),
      'RecipientSettingsPage',
    ),
    nav: { key: 'nav.recipients', group: 'manage' },
  },
  {
    path: '/deliveries',
    roles: MANAGERS,
    Component: page(() => import('./deliveries/delivery-list/delivery-list-page'), 'DeliveryListPage'),
    nav: { key: 'nav.deliveries', group: 'manage' },
  },
  {
    path: '/reports/sales',
    roles: OVERSEERS,
    Component: page(() => import('./reports/sales-report/sales-report-page'), 'SalesReportPage'),
    nav: { key: 'nav.reportSales', group: 'reports' },
  },
  {
    path: '/reports/customers',
    roles: OVERSEERS,
    Component: page(() => import('./reports/ranking-report/ranking-report-page'), 'CustomerReportPage'),
    nav: { key: 'nav.reportCustomers', group: 'reports' },
  },
  {
    path: '/reports/products',
    roles: OVERSEERS,
    Component: page(() => import('./reports/ranking-report/ranking-report-page'), 'ProductReportPage'),
    nav: { key: 'nav.reportProducts', group: 'reports' },
  },
  {
    path: '/reports/pipeline',
    roles: OVERSEERS,
    Component: page(() => import('./reports/pipeline-report/pipeline-report-page'), 'PipelineReportPage'),
    nav: { key: 'nav.reportPipeline', group: 'reports' },
  },
  {
    path: '/reports/waiting',
    roles: OVERSEERS,
    Component: page(() => import('./reports/waiting-report/waiting-report-page'), 'WaitingReportPage'),
    nav: { key: 'nav.reportWaiting', group: 'reports' },
  },
  {
    path: '/feedback',
    roles: MANAGERS,
    Component: page(() => import('./feedback/feedback-list/feedback-list-page'), 'FeedbackListPage'),
    nav: { key: 'nav.feedback', group: 'manage' },
  },
  {
    path: '/feedback/new',
    roles: ANYONE,
    Component: page(() => import('./feedback/feedback-new/feedback-new-page'), 'FeedbackNewPage'),
    nav: { key: 'nav.feedbackNew', group: 'work' },
  },
  {
    path: '/backups',
    roles: ADMINS,
    Component: page(() => import('./backups/backup-list/backup-list-page'), 'BackupListPage'),
    nav: { key: 'nav.backups', group: 'admin' },
  },
  {
    path: '/webhooks',
    roles: ADMINS,
    Component: page(() => import('./webhooks/webhook-list/webhook-list-page'), 'WebhookListPage'),
    nav: { key: 'nav.webhooks', group: 'admin' },
  },
  {
    path: '/api-keys',
    roles: ADMINS,
    Component: page(() => import('./api-keys/api-key-list/api-key-list-page'), 'ApiKeyListPage'),
    nav: { key: 'nav.apiKeys', group: 'admin' },
  },
  {
    path: '/audit',
    roles: OVERSEERS,
    Component: page(() => import('./audit/audit-log/audit-log-page'), 'AuditLogPage'),
    nav: { key: 'nav.audit', group: 'audit' },
  },
  {
    path: '/users',
    roles: ADMINS,
    Component: page(() => import('./users/user-list/user-list-page'), 'UserListPage'),
    nav: { key: 'nav.users', group: 'admin' },
  },
];

function Loading() {
  return <Spin size="large" className="page-spin" />;
}

function Guard({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useSession();
  if (!user || !hasRole(user.roles, roles)) return <NotAllowedPage />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export function AppRoutes() {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <Loading />;
  if (user === null) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="*"
          element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />}
        />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to="/orders" replace />} />
        <Route
          path="/login"
          element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/orders'} replace />}
        />
        {PAGES.map(({ path, roles, Component }) => (
          <Route
            key={path}
            path={path}
            element={
              <Guard roles={roles}>
                <Component />
              </Guard>
            }
          />
        ))}
        <Route path="*" element={<NotAllowedPage />} />
      </Route>
    </Routes>
  );
}
