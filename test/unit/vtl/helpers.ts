/** Shared by the template-language tests: render a template and get its text. */
import { renderTemplate, type TemplateRequest } from '../../../local/vtl';

export const render = (template: string, request: TemplateRequest = {}): string =>
  renderTemplate(template, request).output;

/** A request whose body is `value` as JSON. */
export const withBody = (value: unknown, extra: TemplateRequest = {}): TemplateRequest => ({
  ...extra,
  body: JSON.stringify(value),
});

export const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
