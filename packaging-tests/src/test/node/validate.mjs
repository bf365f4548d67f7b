// Validates every document of the given multi-document YAML files against the offline OpenAPI
// schemas of kubernetes-models (Kubernetes ~1.34) and its Prometheus Operator, Argo CD and Flux
// companions. Prints one JSON object per document:
//   {"source", "index", "apiVersion", "kind", "name", "result": "valid"|"invalid"|"no-schema", "errors"}
// Usage: node validate.mjs NODE_MODULES_DIR FILE...
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modulesDir, ...files] = process.argv.slice(2);
if (!modulesDir || files.length === 0) {
  console.error("usage: node validate.mjs NODE_MODULES_DIR FILE...");
  process.exit(2);
}
const packages = [
  "kubernetes-models",
  "@kubernetes-models/prometheus-operator",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/flux-cd",
];
const yaml = (await import(pathToFileURL(join(modulesDir, "js-yaml", "index.js")))).default;

/** The model class for apiVersion/kind, or undefined when no package has a schema for it. */
async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  for (const pkg of packages) {
    const file = join(modulesDir, pkg, group, version, `${kind}.js`);
    if (existsSync(file)) {
      const module = await import(pathToFileURL(file));
      return module[kind];
    }
  }
  return undefined;
}

function describe(error) {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll("/", ".") : "(root)";
  const params = error.params && Object.keys(error.params).length ? " " + JSON.stringify(error.params) : "";
  return `${where}: ${error.message ?? error.keyword}${params}`;
}

let failures = 0;
for (const source of files) {
  let documents;
  try {
    documents = yaml.loadAll(readFileSync(source, "utf8"));
  } catch (e) {
    console.log(JSON.stringify({ source, index: -1, result: "invalid", errors: [`invalid YAML: ${e.message}`] }));
    failures++;
    continue;
  }
  let index = -1;
  for (const doc of documents) {
    index++;
    if (doc === null || doc === undefined) continue;
    const apiVersion = doc.apiVersion ?? "";
    const kind = doc.kind ?? "";
    const name = doc.metadata?.name ?? "";
    const report = { source, index, apiVersion, kind, name };
    if (!apiVersion || !kind) {
      console.log(JSON.stringify({ ...report, result: "invalid", errors: ["apiVersion and kind are required"] }));
      failures++;
      continue;
    }
    const Model = await modelClass(apiVersion, kind);
    if (!Model) {
      console.log(JSON.stringify({ ...report, result: "no-schema", errors: [] }));
      continue;
    }
    try {
      new Model(doc).validate();
      console.log(JSON.stringify({ ...report, result: "valid", errors: [] }));
    } catch (e) {
      const errors = Array.isArray(e.errors) && e.errors.length ? e.errors.map(describe) : [String(e.message ?? e)];
      console.log(JSON.stringify({ ...report, result: "invalid", errors }));
      failures++;
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
