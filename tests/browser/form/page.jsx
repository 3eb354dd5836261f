// The test page: renders the served form with RJSF or JSON Forms (?renderer=) through the
// README's glue, and tells the browser test what was submitted (window.submitted).
import React from "react";
import { createRoot } from "react-dom/client";
import { JsonFormsVisitReport, RjsfVisitReport } from "./glue.jsx";

const params = new URLSearchParams(location.search);
const base = params.get("base") ?? "";
const load = (name) => fetch(`${base}/schemas/${name}`).then((r) => {
  if (!r.ok) throw new Error(`${name}: ${r.status}`);
  return r.json();
});

async function main() {
  const [schema, sv, rjsfUi, jsonFormsUi] = await Promise.all([
    load("visit-report.schema.json"), load("visit-report.sv.json"),
    load("visit-report.ui.json"), load("visit-report.jsonforms.json")]);
  window.submitted = null;
  const onSubmit = (answers) => { window.submitted = answers; };
  const form = params.get("renderer") === "jsonforms"
    ? <JsonFormsVisitReport schema={schema} uischema={jsonFormsUi} sv={sv} onSubmit={onSubmit} />
    : <RjsfVisitReport schema={schema} uiSchema={rjsfUi} sv={sv} onSubmit={onSubmit} />;
  createRoot(document.getElementById("form")).render(form);
  window.formReady = true;
}
main().catch((error) => { window.pageError = String(error); });
