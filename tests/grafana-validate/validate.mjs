// validate.mjs RENDERED.yaml DASHBOARD.json OUTDIR
//
// Checks what `kubectl kustomize k8s/grafana` rendered: one ConfigMap with
// the label grafana_dashboard: "1" (what kube-prometheus-stack's Grafana
// sidecar loads) whose only data key holds exactly DASHBOARD.json; then
// type-checks the dashboard against Grafana's dashboard schema, the
// Dashboard type of @grafana/schema, with the TypeScript compiler (strict,
// `satisfies`: a wrong type or an unknown property is an error).  Writes
// OUTDIR/exprs.tsv (refId, expr per panel target) and OUTDIR/vars.tsv
// (name, query per query variable).  Exit 0 valid, 1 invalid.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import YAML from 'yaml';

const [rendered, dashFile, outDir] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
let failed = 0;
const fail = (msg) => { console.log(`INVALID: ${msg}`); failed = 1; };

const docs = YAML.parseAllDocuments(fs.readFileSync(rendered, 'utf8')).map((d) => d.toJS());
const cms = docs.filter((d) => d && d.kind === 'ConfigMap' &&
	d.metadata?.labels?.grafana_dashboard === '1');
if (docs.length !== 1 || cms.length !== 1)
	fail(`expected one ConfigMap labelled grafana_dashboard: "1", got ${docs.length} objects, ${cms.length} such ConfigMaps`);
const text = fs.readFileSync(dashFile, 'utf8');
const dash = JSON.parse(text);
if (cms.length === 1) {
	const keys = Object.keys(cms[0].data || {});
	if (keys.length !== 1 || !keys[0].endsWith('.json'))
		fail(`the ConfigMap's data keys are ${JSON.stringify(keys)}, expected one .json`);
	else if (cms[0].data[keys[0]] !== text)
		fail(`the ConfigMap's ${keys[0]} differs from ${dashFile}`);
}

// Grafana's schema, through the TypeScript compiler
const checkTs = path.join(outDir, 'check.ts');
fs.writeFileSync(checkTs, `import type { Dashboard } from '@grafana/schema';\n` +
	`export const dashboard = ${text.trim()} satisfies Dashboard;\n`);
const program = ts.createProgram([checkTs], {
	strict: true, noEmit: true, skipLibCheck: true, types: [],
	target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext,
	moduleResolution: ts.ModuleResolutionKind.Node10,
	baseUrl: here, paths: { '@grafana/schema': [path.join(here, 'node_modules/@grafana/schema')] },
});
for (const d of ts.getPreEmitDiagnostics(program)) {
	const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
	const pos = d.file ? d.file.getLineAndCharacterOfPosition(d.start) : null;
	fail(`schema: ${pos ? `line ${pos.line} of the dashboard: ` : ''}${msg}`);
}

const exprs = [];
for (const p of dash.panels || [])
	for (const t of p.targets || [])
		exprs.push(`${t.refId}\t${t.expr}`);
fs.writeFileSync(path.join(outDir, 'exprs.tsv'), exprs.join('\n') + '\n');
const vars = (dash.templating?.list || []).filter((v) => v.type === 'query')
	.map((v) => `${v.name}\t${v.query.query}`);
fs.writeFileSync(path.join(outDir, 'vars.tsv'), vars.join('\n') + '\n');
if (!failed)
	console.log(`valid: ${dash.panels.length} panels, ${vars.length} query variables, Grafana schema (@grafana/schema Dashboard)`);
process.exit(failed);
