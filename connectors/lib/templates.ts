/** Message templates: `{name}` takes a variable; a variable the template needs and lacks is a final error (a retry cannot supply it). */
import { ConnectorError } from '../../engine/core/connectors/port.ts';

export function fillTemplate(text: string, variables: Record<string, unknown> | undefined, what: string): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = variables?.[name];
    if (value === undefined || value === null) throw new ConnectorError(`the ${what} template needs the variable ${name}`, false);
    return String(value);
  });
}
