// validate.mjs - offline checks of rendered manifests (kubectl kustomize output).
//
// usage: node validate.mjs FILE.yaml ...
//
// Every object is validated against the official Kubernetes JSON schemas
// (kubernetes-models) or prometheus-operator's (ServiceMonitor, PodMonitor);
// an object of an unknown apiVersion/kind is an error. Then the policy:
//   - no privileged container, hostPID, hostNetwork or hostIPC (mode F's
//     privileged profiler pod is created by the capture step in its own
//     opt-in namespace and is not a manifest here);
//   - every pod runs as non-root (pod or container runAsNonRoot: true) and
//     every container sets allowPrivilegeEscalation: false;
//   - every container sets cpu and memory limits;
//   - every image has an explicit tag other than latest (or a digest);
//   - every container that serves a port has liveness and readiness probes;
//   - every ServiceMonitor carries the release label and names its port.
// Messages: FILE: KIND/NAME: what; exit 0 when all pass, 1 otherwise.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const problems = [];
const report = (file, obj, what) =>
  problems.push(`${file}: ${obj.kind}/${obj.metadata?.name ?? "?"}: ${what}`);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const specs = group === "monitoring.coreos.com"
    ? [`@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`]
    : [`kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`];
  for (const spec of specs) {
    try {
      const mod = await import(spec);
      if (mod[kind]) return mod[kind];
    } catch {
      // fall through: unknown kind
    }
  }
  return null;
}

function podSpecOf(obj) {
  switch (obj.kind) {
    case "Pod": return obj.spec;
    case "PodTemplate": return obj.template?.spec;
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job":
      return obj.spec?.template?.spec;
    case "CronJob": return obj.spec?.jobTemplate?.spec?.template?.spec;
    default: return null;
  }
}

function checkPod(file, obj, spec) {
  for (const host of ["hostPID", "hostNetwork", "hostIPC"])
    if (spec[host]) report(file, obj, `${host} is set`);
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of containers) {
    const where = `container ${JSON.stringify(c.name)}`;
    const sc = c.securityContext ?? {};
    if (sc.privileged) report(file, obj, `${where} is privileged`);
    if (!podNonRoot && sc.runAsNonRoot !== true) report(file, obj, `${where} may run as root (no runAsNonRoot: true)`);
    if (sc.allowPrivilegeEscalation !== false) report(file, obj, `${where} does not set allowPrivilegeEscalation: false`);
    for (const r of ["cpu", "memory"])
      if (!c.resources?.limits?.[r]) report(file, obj, `${where} has no ${r} limit`);
    const image = c.image ?? "";
    const name = image.split("@")[0];
    const tag = name.lastIndexOf(":") > name.lastIndexOf("/") ? name.slice(name.lastIndexOf(":") + 1) : "";
    if (!image.includes("@") && (tag === "" || tag === "latest"))
      report(file, obj, `${where} image ${JSON.stringify(image)} has no pinned tag`);
    if ((c.ports ?? []).length > 0)
      for (const p of ["livenessProbe", "readinessProbe"])
        if (!c[p]) report(file, obj, `${where} serves a port but has no ${p}`);
  }
}

function checkServiceMonitor(file, obj) {
  if (!obj.metadata?.labels?.release)
    report(file, obj, "no release label (kube-prometheus-stack selects ServiceMonitors by it)");
  for (const ep of obj.spec?.endpoints ?? [])
    if (!ep.port) report(file, obj, "endpoint without a named port");
}

for (const file of process.argv.slice(2)) {
  let docs;
  try {
    docs = parseAllDocuments(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${file}: ${e.message}`);
    continue;
  }
  for (const doc of docs) {
    if (doc.errors.length) { problems.push(`${file}: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj === null) continue;
    const Model = await modelFor(String(obj.apiVersion), String(obj.kind));
    if (!Model) { report(file, obj, `unknown apiVersion/kind ${obj.apiVersion}/${obj.kind}`); continue; }
    try {
      new Model(obj).validate();
    } catch (e) {
      report(file, obj, `schema: ${e.message}`);
    }
    const spec = podSpecOf(obj);
    if (spec) checkPod(file, obj, spec);
    if (obj.kind === "ServiceMonitor") checkServiceMonitor(file, obj);
  }
}
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
