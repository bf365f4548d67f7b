{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "flotilla.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name used for every object of the chart. */}}
{{- define "flotilla.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the operator pod; never change between upgrades. */}}
{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* Labels on every object. */}}
{{- define "flotilla.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "flotilla.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flotilla
{{- end -}}

{{- define "flotilla.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flotilla.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "flotilla.leaseName" -}}
{{- default (printf "%s-lease" (include "flotilla.fullname" .)) .Values.leaderElection.leaseName -}}
{{- end -}}

{{/*
Full image reference from {registry, repository, tag, digest}; the tag defaults to appVersion.
Call with (dict "image" .Values.image "root" $).
*/}}
{{- define "flotilla.image" -}}
{{- $repo := .image.repository -}}
{{- if .image.registry -}}{{- $repo = printf "%s/%s" .image.registry .image.repository -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repo .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Namespaces watched, as the comma-separated list the operator reads ("" = all namespaces). */}}
{{- define "flotilla.watchNamespaces" -}}
{{- join "," (uniq .Values.watchNamespaces) -}}
{{- end -}}

{{/* The operator's controllers (@ControllerConfiguration names), comma-separated. */}}
{{- define "flotilla.controllers" -}}
federation,clientpool
{{- end -}}

{{/* Restricted Pod Security Standard: container-level securityContext. */}}
{{- define "flotilla.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Least privilege: the RBAC the operator build generates from its reconcilers (QOSDK: each
controller's primary resource plus the @RBACRule annotations of FederationReconciler, in
operator/target/kubernetes/kubernetes.yml), without the verbs QOSDK always adds on the custom
resources but the operator never uses (create, delete, patch and update on Federations and
ClientPools, list/watch/create/delete on their status, all but update on the Federations'
finalizers, everything on the ClientPools' finalizers).
OperatorContractTest fails when these rules grant anything the build does not, or leave out
anything else. All namespaces: one ClusterRole bound cluster-wide. A namespace list: the same rules
in a Role + RoleBinding per watched namespace, nothing cluster-wide.
*/}}
{{- define "flotilla.operatorRules" -}}
# Federations and ClientPools: watched and reported on, never created or deleted by the operator.
- apiGroups: ["flotilla.dev"]
  resources: ["federations", "clientpools"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["flotilla.dev"]
  resources: ["federations/status", "clientpools/status"]
  verbs: ["get", "patch", "update"]
# Jobs and grant Secrets carry an owner reference to their Federation with blockOwnerDeletion,
# which needs update on the owner's finalizers; the operator adds no finalizer itself, and nothing
# it creates is owned by a ClientPool.
- apiGroups: ["flotilla.dev"]
  resources: ["federations/finalizers"]
  verbs: ["update"]
# Trainer and aggregator workloads.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
# Events about Federations and ClientPools.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
# Object-store credentials, read by name only: no list or watch, so no Secret can be discovered;
# create: each workload's storage-grant Secret (named after its Job); patch: its owner, handed to the Job.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "patch"]
{{- end -}}
