export { defaultContext, renderTemplate, type RenderResult, type TemplateRequest } from './engine';
export { compileTemplate, VtlSyntaxError, type CompiledTemplate } from './template-parser';
export { JsonBodyError, parseJsonDocument, validationView, type JsonDocument } from './json-document';
