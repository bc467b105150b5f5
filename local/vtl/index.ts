export { compileTemplate, defaultContext, renderTemplate, VtlSyntaxError, type CompiledTemplate, type RenderResult, type TemplateRequest } from './engine';
