/** The left-hand menu of each app: only what the user's permissions open. */
import {
  ApartmentOutlined,
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
  ApiOutlined,
  PlusCircleOutlined,
  ScheduleOutlined,
  SendOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Badge } from 'antd';
import type { ItemType } from 'antd/es/menu/interface';
import type { Translate } from '../i18n/index.tsx';

interface MenuContext {
  t: Translate;
  can(permission: string): boolean;
  todo: number;
}

type Item = ItemType & { key: string };

export function menusFor(app: 'workbench' | 'admin', { t, can, todo }: MenuContext): Item[] {
  const when = (ok: boolean, item: Item): Item[] => (ok ? [item] : []);
  if (app === 'workbench') {
    return [
      ...when(can('task:read'), {
        key: '/workbench/todo',
        icon: <InboxOutlined />,
        label: (
          <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
            {t('menu.todo')}
            <Badge count={todo} size="small" overflowCount={999} />
          </span>
        ),
      }),
      ...when(can('task:read'), {
        key: '/workbench/done',
        icon: <CheckSquareOutlined />,
        label: t('menu.done'),
      }),
      ...when(can('instance:start'), {
        key: '/workbench/started',
        icon: <SendOutlined />,
        label: t('menu.started'),
      }),
      { key: '/workbench/cc', icon: <CopyOutlined />, label: t('menu.cc') },
      ...when(can('instance:start'), {
        key: '/workbench/start',
        icon: <PlusCircleOutlined />,
        label: t('menu.start'),
      }),
      ...when(can('task:urge') || can('task:assign'), {
        key: '/workbench/supervise',
        icon: <EyeOutlined />,
        label: t('menu.supervise'),
      }),
      {
        key: '/workbench/notices',
        icon: <BellOutlined />,
        label: t('menu.notices'),
      },
    ];
  }
  return [
    ...when(can('org:read'), {
      key: '/admin/departments',
      icon: <ApartmentOutlined />,
      label: t('menu.departments'),
    }),
    ...when(can('org:read'), {
      key: '/admin/users',
      icon: <TeamOutlined />,
      label: t('menu.users'),
    }),
    ...when(can('org:read'), {
      key: '/admin/roles',
      icon: <KeyOutlined />,
      label: t('menu.roles'),
    }),
    ...when(can('org:manage'), {
      key: '/admin/import',
      icon: <ImportOutlined />,
      label: t('menu.import'),
    }),
    ...when(can('dictionary:manage'), {
      key: '/admin/dictionaries',
      icon: <BookOutlined />,
      label: t('menu.dictionaries'),
    }),
    ...when(can('definition:read'), {
      key: '/admin/definitions',
      icon: <DeploymentUnitOutlined />,
      label: t('menu.definitions'),
    }),
    ...when(can('form:read') && can('definition:read'), {
      key: '/admin/forms',
      icon: <FormOutlined />,
      label: t('menu.forms'),
    }),
    ...when(can('connector:manage'), {
      key: '/admin/connectors',
      icon: <ApiOutlined />,
      label: t('menu.connectors'),
    }),
    ...when(can('incident:manage'), {
      key: '/admin/jobs',
      icon: <ScheduleOutlined />,
      label: t('menu.jobs'),
    }),
    ...when(can('incident:manage'), {
      key: '/admin/incidents',
      icon: <WarningOutlined />,
      label: t('menu.incidents'),
    }),
    ...when(can('audit:read'), {
      key: '/admin/audit',
      icon: <AuditOutlined />,
      label: t('menu.audit'),
    }),
    ...when(can('instance:manage'), {
      key: '/admin/cases',
      icon: <FileDoneOutlined />,
      label: t('menu.cases'),
    }),
  ];
}

/** The admin console is for those who manage something; reading the organisation alone is every clerk's. */
export const ADMIN_PERMISSIONS = ['org:manage', 'role:manage', 'dictionary:manage', 'definition:deploy', 'form:deploy', 'connector:manage', 'incident:manage', 'audit:read', 'instance:manage'];
