export { auditTemplate } from "./audit.js";
export { ISSUE_SEVERITY } from "./types.js";
export type { TemplateAudit, TemplateAuditOptions, TemplateIssue, TemplateIssueKind } from "./types.js";
export { fold, type Folded } from "./fold.js";
export { templateRules, reportTemplateAudit, type TemplateRules, type TemplateOrigin } from "./rules.js";
