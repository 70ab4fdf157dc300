/**
 * The modeler's and the properties panel's words: bpmn-js hands every label
 * to one `translate(template, replacements)` service; in Chinese it is looked
 * up in the dictionary (zh-CN.ts), in English the template stands. A template
 * the dictionary lacks is remembered, so that a test can list what is left.
 */
import { MODELER_ZH } from '../../i18n/modeler.zh-CN.ts';

export const untranslated = new Set<string>();

export function translateModule(locale: 'zh-CN' | 'en') {
  const translate = (template: string, replacements: Record<string, string> = {}) => {
    let text = template;
    if (locale === 'zh-CN') {
      const found = MODELER_ZH[template];
      if (found === undefined) untranslated.add(template);
      else text = found;
    }
    return text.replace(/{([^}]+)}/g, (m, key: string) => replacements[key] ?? m);
  };
  return { translate: ['value', translate] };
}
