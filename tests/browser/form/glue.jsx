// The glue a platform needs to put the form live (the README's "Putting the form live" shows
// these same lines). Everything else comes from the service: /schemas/<name>.
import React, { useMemo, useRef, useState } from "react";
import Form from "@rjsf/core";
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { JsonForms } from "@jsonforms/react";
import { vanillaCells, vanillaRenderers } from "@jsonforms/vanilla-renderers";

// The 1-based position of the first character a document cannot hold (the server counts so).
export const position = (text, sv) =>
  Array.from(String(text)).findIndex((c) => new RegExp(sv.unsafe_characters, "u").test(c)) + 1;

// --- RJSF 6 ----------------------------------------------------------------------------
const rjsfValidator = customizeValidator({ AjvClass: Ajv2020 });

export function RjsfVisitReport({ schema, uiSchema, sv, onSubmit }) {
  const answers = useRef(undefined);  // the latest answers, for the position in a message
  const field = (e) => (e.params?.unevaluatedProperty ?? e.property.replace(/^\./, ""))
    .split(".").filter((s) => !/^\d+$/.test(s)).join(".");
  const transformErrors = (errors) => errors
    .filter((e) => e.name !== "if" && !(e.name === "const" && e.schemaPath.includes("/oneOf/")))
    .map((e) => {
      let message = sv.errors[`${field(e)}.error.${e.name}`] ?? sv.errors[`error.${e.name}`];
      if (message?.includes("{position}")) {
        const value = e.property.split(".").slice(1).reduce((v, k) => v?.[k], answers.current);
        message = message.replace("{position}", position(value, sv));
      }
      return { ...e, message, stack: message };
    });
  return (
    <Form schema={schema} uiSchema={uiSchema} validator={rjsfValidator}
      onChange={(e) => { answers.current = e.formData; }} onSubmit={(e) => onSubmit(e.formData)}
      transformErrors={transformErrors} translateString={(s, p) =>
        (sv.rjsf[s] ?? s).replace(/%(\d)/g, (_, i) => p?.[i - 1] ?? "")}
      omitExtraData liveOmit="onChange" showErrorList={false} noHtml5Validate
      experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: "never" },
        emptyObjectFields: "skipDefaults", constAsDefaults: "never" }} />
  );
}

// --- JSON Forms 3 (vanilla renderers) ---------------------------------------------------
const jsonFormsAjv = addFormats(new Ajv2020({ allErrors: true, verbose: true, strict: false }));

export function JsonFormsVisitReport({ schema, uischema, sv, onSubmit }) {
  // The form keeps its own answers; `data` is handed back only when answers are dropped
  // (handing back every change could undo a change made meanwhile).
  const [data, setData] = useState({});
  const answers = useRef({});
  const [errors, setErrors] = useState([]);
  const [tried, setTried] = useState(false);
  // A conditional question's answer goes when its condition no longer holds.
  const conditions = useMemo(() => schema.allOf.map((e) => [jsonFormsAjv.compile(e.if),
    Object.keys(e.then.properties ?? {}).filter((k) => !(k in schema.properties))]), [schema]);
  const dropUnasked = (d) => {
    const gone = conditions.flatMap(([holds, names]) => holds(d) ? [] : names).filter((k) => k in d);
    return gone.length ? Object.fromEntries(Object.entries(d).filter(([k]) => !gone.includes(k))) : d;
  };
  const translate = (key, fallback, values) => {
    const text = sv.jsonforms[key] ?? sv.errors[key];
    if (text === undefined) return fallback;
    return text.replace("{position}", () => position(values?.error?.data, sv));
  };
  return (
    <form noValidate onSubmit={(ev) => { ev.preventDefault();
      setData(answers.current); setTried(true);  // together: a new mode re-reads `data`
      if (errors.length === 0) onSubmit(answers.current); }}>
      {/* vanilla's list table has English column heads («Items», «Valid») it cannot translate */}
      <style>{".array-table-layout thead { display: none }"}</style>
      <JsonForms schema={schema} uischema={uischema} data={data} ajv={jsonFormsAjv}
        renderers={vanillaRenderers} cells={vanillaCells} i18n={{ locale: "sv", translate }}
        config={{ showUnfocusedDescription: true }}
        validationMode={tried ? "ValidateAndShow" : "ValidateAndHide"}
        onChange={({ data: next, errors: found }) => {
          answers.current = dropUnasked(next ?? {});
          if (answers.current !== next) setData(answers.current);
          setErrors(found ?? []);
        }} />
      <button type="submit">{sv.submit}</button>
    </form>
  );
}
