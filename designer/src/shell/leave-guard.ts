/**
 * Leaving a page with unsaved changes asks first: reloading or closing the
 * tab (the browser's own question), following an in-app link, or choosing
 * from the menu (the app's dialog). A page holding changes calls
 * `useLeaveGuard(dirty)`; the shell's own navigation goes through `leaveThen`.
 * (The browser's back button is not held: the router in use cannot block it.)
 */
import { App } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/index.tsx';

let ask: ((go: () => void) => void) | null = null;

/** Run `go` (a navigation) now, or once the user agrees to drop the page's unsaved changes. */
export function leaveThen(go: () => void): void {
  if (ask) ask(go);
  else go();
}

export function useLeaveGuard(dirty: boolean): void {
  const { modal } = App.useApp();
  const { t } = useI18n();
  const navigate = useNavigate();
  useEffect(() => {
    if (!dirty) return;
    const confirm = (go: () => void) =>
      void modal.confirm({
        title: t('shell.leave.title'),
        content: t('shell.leave.content'),
        okText: t('shell.leave.ok'),
        okButtonProps: { danger: true },
        cancelText: t('shell.leave.stay'),
        onOk: go,
      });
    const onClick = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || (link.target && link.target !== '_self')) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
      e.preventDefault();
      e.stopPropagation();
      confirm(() => navigate(url.pathname + url.search + url.hash));
    };
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    ask = confirm;
    document.addEventListener('click', onClick, true);
    window.addEventListener('beforeunload', warn);
    return () => {
      ask = null;
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('beforeunload', warn);
    };
  }, [dirty, modal, navigate, t]);
}
