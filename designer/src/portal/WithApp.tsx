/**
 * antd's App context (message, modal, notification through App.useApp) for
 * the portal pages that use it — kept out of the portal's first download.
 */
import { App } from 'antd';
import type { ReactNode } from 'react';

export function WithApp({ children }: { children: ReactNode }) {
  return <App component={false}>{children}</App>;
}
