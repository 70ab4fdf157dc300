/**
 * The process diagram (bpmn-js viewer, loaded only when a case page opens it)
 * with the nodes the case has passed through and where it is now marked; the
 * catalog's preview shows a compiled process with nothing marked.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import './diagram.css';
import { laidOut } from './layout.ts';

export interface DiagramProps {
  xml: string;
  /** Nodes the case has finished. */
  completed: string[];
  /** Nodes the case waits in now. */
  current: string[];
  /** The diagram's accessible name, and whether the legend of marked nodes shows (not for a process without a case). */
  label?: string;
  legend?: boolean;
  /** Other marks: element ids and the marker class they get (a version compared with another). */
  marks?: Array<[string[], string]>;
}

interface Canvas {
  zoom(level: string | number): void;
  addMarker(id: string, marker: string): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}

const NO_MARKS: Array<[string[], string]> = [];

export default function DiagramViewer({ xml, completed, current, label, legend = true, marks = NO_MARKS }: DiagramProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let viewer: { destroy(): void } | null = null;
    let cancelled = false;
    void (async () => {
      const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
      const drawn = await laidOut(xml);
      if (cancelled || !host.current) return;
      const v = new NavigatedViewer({ container: host.current });
      viewer = v;
      try {
        await v.importXML(drawn);
        const canvas = v.get<Canvas>('canvas');
        const registry = v.get<ElementRegistry>('elementRegistry');
        canvas.zoom('fit-viewport');
        for (const id of completed) if (registry.get(id)) canvas.addMarker(id, 'wf-completed');
        for (const id of current) if (registry.get(id)) canvas.addMarker(id, 'wf-current');
        for (const [ids, marker] of marks) for (const id of ids) if (registry.get(id)) canvas.addMarker(id, marker);
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      viewer?.destroy();
    };
  }, [xml, completed, current, marks]);

  if (failed) return <Alert type="warning" showIcon title={t('case.diagramFailed')} />;
  return (
    <div>
      <div ref={host} className="wf-diagram" role="figure" aria-label={label ?? t('case.diagram')} />
      {legend && (
        <div className="wf-diagram-legend">
          <span className="wf-legend-current">{t('case.legendCurrent')}</span>
          <span className="wf-legend-completed">{t('case.legendCompleted')}</span>
        </div>
      )}
    </div>
  );
}
