/** The menu on a phone: a drawer from the left (loaded only on narrow screens). */
import { Drawer } from 'antd';
import type { ReactNode } from 'react';

export default function PhoneMenu({ open, title, onClose, children }: { open: boolean; title: string; onClose(): void; children: ReactNode }) {
  return (
    <Drawer placement="left" open={open} onClose={onClose} size={240} styles={{ body: { padding: 0 } }} title={title}>
      {children}
    </Drawer>
  );
}
