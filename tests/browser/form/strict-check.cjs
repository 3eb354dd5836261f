const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const fs = require("fs");
const dir = process.argv[2];
const ajv = new Ajv2020({strict: true, allErrors: true});
addFormats(ajv);
const form = JSON.parse(fs.readFileSync(dir + "/visit-report.schema.json"));
const validate = ajv.compile(form);
for (const kind of ["valid", "invalid"]) for (const f of fs.readdirSync(dir + "/examples/" + kind)) {
  const d = JSON.parse(fs.readFileSync(dir + "/examples/" + kind + "/" + f));
  const ok = validate(d.data.answers);
  console.log(kind, f, ok, ok ? "" : JSON.stringify(validate.errors.map(e => [e.instancePath, e.keyword, e.params])));
}
