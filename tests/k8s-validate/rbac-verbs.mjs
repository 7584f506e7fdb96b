// rbac-verbs.mjs - lists what the Roles of rendered manifests grant, one
// "NAMESPACE ROLE RESOURCE VERB" line per grant, for an exact comparison.
// usage: node rbac-verbs.mjs FILE.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

for (const doc of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  const o = doc.toJS();
  if (o?.kind !== "Role" && o?.kind !== "ClusterRole") continue;
  for (const r of o.rules ?? [])
    for (const res of r.resources ?? ["(none)"])
      for (const v of r.verbs ?? [])
        console.log(`${o.metadata.namespace ?? "(cluster)"} ${o.metadata.name} ${res} ${v}`);
}
