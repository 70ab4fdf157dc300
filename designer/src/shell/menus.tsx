/** The left-hand menu of each app: the pages of shell/routes.ts the user's permissions open. */
import {
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  CheckSquareOutlined,
  CopyOutlined,
  DeploymentUnitOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FormOutlined,
  ImportOutlined,
  InboxOutlined,
  KeyOutlined,
  PlusCircleOutlined,
  ScheduleOutlined,
  SendOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Badge } from 'antd';
import type { MenuItemType } from 'antd/es/menu/interface';
import type { ReactNode } from 'react';
import type { Translate } from '../i18n/index.tsx';
import { routesFor, type App } from './routes.ts';

const ICONS: Record<string, ReactNode> = {
  '/workbench/todo': <InboxOutlined />,
  '/workbench/done': <CheckSquareOutlined />,
  '/workbench/started': <SendOutlined />,
  '/workbench/cc': <CopyOutlined />,
  '/workbench/start': <PlusCircleOutlined />,
  '/workbench/supervise': <EyeOutlined />,
  '/workbench/notices': <BellOutlined />,
  '/admin/departments': <ApartmentOutlined />,
  '/admin/users': <TeamOutlined />,
  '/admin/roles': <KeyOutlined />,
  '/admin/import': <ImportOutlined />,
  '/admin/dictionaries': <BookOutlined />,
  '/admin/definitions': <DeploymentUnitOutlined />,
  '/admin/forms': <FormOutlined />,
  '/admin/catalog': <AppstoreOutlined />,
  '/admin/connectors': <ApiOutlined />,
  '/admin/jobs': <ScheduleOutlined />,
  '/admin/incidents': <WarningOutlined />,
  '/admin/audit': <AuditOutlined />,
  '/admin/cases': <FileDoneOutlined />,
  '/designer/flows': <DeploymentUnitOutlined />,
  '/designer/forms': <FormOutlined />,
};

export type MenuItem = MenuItemType & { key: string };

export function menusFor(app: App, permissions: readonly string[], t: Translate, todo: number): MenuItem[] {
  return routesFor(permissions, app).map((r) => ({
    key: r.path,
    icon: ICONS[r.path],
    label:
      r.path === '/workbench/todo' ? (
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
          {t(r.label)}
          <Badge count={todo} size="small" overflowCount={999} />
        </span>
      ) : (
        t(r.label)
      ),
  }));
}
