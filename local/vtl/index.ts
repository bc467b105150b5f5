export { compileTemplate, defaultContext, renderTemplate, VtlSyntaxError, type CompiledTemplate, type RenderResult, type TemplateRequest } from './engine';
export { escapeJavaScript, urlEncode, urlDecode } from './util-variable';
export { javaString, javaEquals } from './java-values';
