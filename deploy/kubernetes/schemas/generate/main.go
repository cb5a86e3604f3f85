// Command generate writes the JSON schemas that kubeconform checks deploy/kubernetes against, offline:
// one standalone, strict schema (unknown fields refused, required fields from the API types' JSON tags)
// for each kind the manifests use, reflected from the Kubernetes API types of the version in go.mod.
//
//	cd deploy/kubernetes/schemas/generate && go run . ..
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type kind struct {
	group, version, kind string
	value                any
}

var kinds = []kind{
	{"", "v1", "ConfigMap", corev1.ConfigMap{}},
	{"", "v1", "Secret", corev1.Secret{}},
	{"", "v1", "Service", corev1.Service{}},
	{"apps", "v1", "Deployment", appsv1.Deployment{}},
	{"batch", "v1", "Job", batchv1.Job{}},
	{"autoscaling", "v2", "HorizontalPodAutoscaler", autoscalingv2.HorizontalPodAutoscaler{}},
	{"policy", "v1", "PodDisruptionBudget", policyv1.PodDisruptionBudget{}},
	// KEDA's, for keda/ (the version in go.mod is the oldest KEDA with the temporal scaler, 2.17).
	{"keda.sh", "v1alpha1", "ScaledObject", kedav1alpha1.ScaledObject{}},
	{"keda.sh", "v1alpha1", "TriggerAuthentication", kedav1alpha1.TriggerAuthentication{}},
}

// Types whose JSON form is not their Go structure.
func mapper(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeOf(resource.Quantity{}):
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}}}
	case reflect.TypeOf(intstr.IntOrString{}):
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{{Type: "string"}, {Type: "integer"}}}
	case reflect.TypeOf(metav1.Time{}), reflect.TypeOf(metav1.MicroTime{}), reflect.TypeOf(metav1.Duration{}):
		return &jsonschema.Schema{Type: "string"}
	case reflect.TypeOf(runtime.RawExtension{}), reflect.TypeOf(metav1.FieldsV1{}):
		return &jsonschema.Schema{Type: "object"}
	}
	return nil
}

// kubeconform's default file name: kind, then group (its first label) and version; custom resources
// under their group, as kubeconform's `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`.
func fileName(k kind) string {
	if strings.Contains(k.group, ".") && !strings.HasSuffix(k.group, ".k8s.io") {
		return filepath.Join(k.group, strings.ToLower(k.kind)+"_"+k.version+".json")
	}
	suffix := "-" + k.version
	if k.group != "" {
		suffix = "-" + strings.Split(k.group, ".")[0] + suffix
	}
	return strings.ToLower(k.kind) + suffix + ".json"
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: generate <schema folder>")
		os.Exit(2)
	}
	reflector := &jsonschema.Reflector{DoNotReference: true, Mapper: mapper, ExpandedStruct: true}
	for _, k := range kinds {
		schema := reflector.Reflect(k.value)
		schema.Version = ""
		apiVersion := k.version
		if k.group != "" {
			apiVersion = k.group + "/" + k.version
		}
		schema.Properties.Set("apiVersion", &jsonschema.Schema{Type: "string", Enum: []any{apiVersion}})
		schema.Properties.Set("kind", &jsonschema.Schema{Type: "string", Enum: []any{k.kind}})
		schema.Required = append(schema.Required, "apiVersion", "kind")
		data, err := json.MarshalIndent(schema, "", " ")
		if err != nil {
			panic(err)
		}
		file := filepath.Join(os.Args[1], fileName(k))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			panic(err)
		}
		if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
			panic(err)
		}
		fmt.Println(file)
	}
}
