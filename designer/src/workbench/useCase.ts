/** A case with its history and diagram data, loaded together for the task and case pages. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { allPages, api, ApiError } from '../api/client.ts';
import type { HistoryEntry, Instance } from '../api/records.ts';

export interface CaseData {
  instance: Instance;
  history: HistoryEntry[];
  /** The BPMN XML of the case's version (null until loaded, or when the viewer may not read it). */
  xml: string | null;
  /** Node ids to names, from the history and the current activities. */
  nodeNames: Record<string, string>;
  completedNodes: string[];
  currentNodes: string[];
}

export function useCase(instanceId: string | undefined): {
  data: CaseData | null;
  error: ApiError | null;
  reload(): void;
} {
  const [instance, setInstance] = useState<Instance | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [xml, setXml] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!instanceId) return;
    let stale = false;
    Promise.all([api.get<Instance>(`/api/instances/${instanceId}`), allPages<HistoryEntry>(`/api/instances/${instanceId}/history`)]).then(
      ([i, h]) => {
        if (stale) return;
        setInstance(i);
        setHistory(h);
        setError(null);
        // The diagram, for the diagram tab and its node names (a viewer without definition:read has the history's).
        api.get<string>(`/api/definitions/${encodeURIComponent(i.processKey)}/xml`, { version: i.version }).then(
          (x) => !stale && setXml(x),
          () => undefined,
        );
      },
      (err: unknown) => !stale && setError(err instanceof ApiError ? err : new ApiError(0, 'WF_ERR_NETWORK', '', undefined, {})),
    );
    return () => {
      stale = true;
    };
  }, [instanceId, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const data = useMemo<CaseData | null>(() => {
    if (!instance) return null;
    const nodeNames: Record<string, string> = xml ? namesIn(xml) : {};
    // Without the diagram (a citizen may not read definitions) the history and the waits still name what they are about.
    for (const h of history) if (h.activityId && h.activityName) nodeNames[h.activityId] ??= h.activityName;
    for (const a of instance.activities) if (a.name) nodeNames[a.activityId] = a.name;
    const currentNodes = instance.activities.map((a) => a.activityId);
    const completedNodes = [...new Set(history.filter((h) => h.kind === 'activity.end' && h.activityId).map((h) => h.activityId!))];
    return { instance, history, xml, nodeNames, completedNodes, currentNodes };
  }, [instance, history, xml]);
  return { data, error, reload };
}

/** Every named element of a BPMN document: id → name. */
function namesIn(xml: string): Record<string, string> {
  const names: Record<string, string> = {};
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  for (const el of Array.from(doc.querySelectorAll('[id][name]'))) names[el.getAttribute('id')!] = el.getAttribute('name')!;
  return names;
}
