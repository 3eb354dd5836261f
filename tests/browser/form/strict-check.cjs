// Compiles the shipped form schema with AJV 8 (Ajv2020) in strict mode, as a platform's
// renderer would, and prints each example's verdict as JSON: {"valid/minimal.json": true, …}.
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, "visit-report.schema.json"))));
const verdicts = {};
for (const kind of ["valid", "invalid"]) {
  for (const name of fs.readdirSync(path.join(dir, "examples", kind)).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "examples", kind, name)));
    const ok = validate(doc.data.answers);
    verdicts[`${kind}/${name}`] = ok ? true
      : validate.errors.map((e) => [e.instancePath, e.keyword, e.params]);
  }
}
process.stdout.write(JSON.stringify(verdicts));
