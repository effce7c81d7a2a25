package deploy_test

import (
	"fmt"
	"maps"
	"slices"
)

// The Kubernetes types below hold only the fields the tests check.

type objectMeta struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type labelSelector struct {
	MatchLabels      map[string]string `yaml:"matchLabels"`
	MatchExpressions []struct {
		Key      string   `yaml:"key"`
		Operator string   `yaml:"operator"`
		Values   []string `yaml:"values"`
	} `yaml:"matchExpressions"`
}

// matches reports whether labels satisfy the selector (an empty selector
// matches everything).
func (s labelSelector) matches(labels map[string]string) bool {
	for k, v := range s.MatchLabels {
		if labels[k] != v {
			return false
		}
	}
	for _, e := range s.MatchExpressions {
		v, has := labels[e.Key]
		ok := map[string]bool{
			"In":           has && slices.Contains(e.Values, v),
			"NotIn":        !has || !slices.Contains(e.Values, v),
			"Exists":       has,
			"DoesNotExist": !has,
		}[e.Operator]
		if !ok {
			return false
		}
	}
	return true
}

func (s labelSelector) empty() bool { return len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0 }

type securityContext struct {
	RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
	RunAsUser                *int64 `yaml:"runAsUser"`
	ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
	Privileged               *bool  `yaml:"privileged"`
	Capabilities             struct {
		Add  []string `yaml:"add"`
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
	SeccompProfile struct {
		Type string `yaml:"type"`
	} `yaml:"seccompProfile"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
	HostPort      int    `yaml:"hostPort"`
	Protocol      string `yaml:"protocol"`
}

type reference struct {
	Name string `yaml:"name"`
}

type container struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom any    `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom []struct {
		Prefix       string     `yaml:"prefix"`
		ConfigMapRef *reference `yaml:"configMapRef"`
		SecretRef    *reference `yaml:"secretRef"`
	} `yaml:"envFrom"`
	Ports          []containerPort `yaml:"ports"`
	LivenessProbe  *probe          `yaml:"livenessProbe"`
	ReadinessProbe *probe          `yaml:"readinessProbe"`
	Lifecycle      struct {
		PreStop struct {
			Sleep *struct {
				Seconds int `yaml:"seconds"`
			} `yaml:"sleep"`
		} `yaml:"preStop"`
	} `yaml:"lifecycle"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext securityContext `yaml:"securityContext"`
	VolumeMounts    []volumeMount   `yaml:"volumeMounts"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

type volume struct {
	Name     string `yaml:"name"`
	EmptyDir any    `yaml:"emptyDir"`
}

// role is the visite command the container runs (the image's entrypoint is
// /visite): serve, api, worker, media or migrate.
func (c container) role() string {
	if len(c.Command) > 0 || len(c.Args) == 0 {
		return ""
	}
	return c.Args[0]
}

func (c container) port(nameOrNumber string) (containerPort, bool) {
	for _, p := range c.Ports {
		if p.Name == nameOrNumber || fmt.Sprint(p.ContainerPort) == nameOrNumber {
			return p, true
		}
	}
	return containerPort{}, false
}

type podSpec struct {
	InitContainers                []container     `yaml:"initContainers"`
	Containers                    []container     `yaml:"containers"`
	SecurityContext               securityContext `yaml:"securityContext"`
	TerminationGracePeriodSeconds *int            `yaml:"terminationGracePeriodSeconds"`
	EnableServiceLinks            *bool           `yaml:"enableServiceLinks"`
	HostNetwork                   bool            `yaml:"hostNetwork"`
	Volumes                       []volume        `yaml:"volumes"`
}

type podTemplate struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     podSpec    `yaml:"spec"`
}

// workload is a Deployment, StatefulSet, DaemonSet, Job or CronJob.
type workload struct {
	Kind     string     `yaml:"kind"`
	Metadata objectMeta `yaml:"metadata"`
	Spec     struct {
		Replicas    *int          `yaml:"replicas"`
		Selector    labelSelector `yaml:"selector"`
		Template    podTemplate   `yaml:"template"`
		JobTemplate struct {
			Spec struct {
				Template podTemplate `yaml:"template"`
			} `yaml:"spec"`
		} `yaml:"jobTemplate"`
	} `yaml:"spec"`
}

var workloadKinds = []string{"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

func (w workload) pod() podTemplate {
	if w.Kind == "CronJob" {
		return w.Spec.JobTemplate.Spec.Template
	}
	return w.Spec.Template
}

// longRunning reports whether the workload's pods should run until stopped.
func (w workload) longRunning() bool { return w.Kind != "Job" && w.Kind != "CronJob" }

func (w workload) replicas() int {
	if w.Spec.Replicas == nil {
		return 1
	}
	return *w.Spec.Replicas
}

// podLabels returns the labels of each pod the workload runs: a
// StatefulSet's pods also carry their own name.
func (w workload) podLabels() []map[string]string {
	if w.Kind != "StatefulSet" {
		return []map[string]string{w.pod().Metadata.Labels}
	}
	var out []map[string]string
	for i := range w.replicas() {
		labels := maps.Clone(w.pod().Metadata.Labels)
		labels["statefulset.kubernetes.io/pod-name"] = fmt.Sprintf("%s-%d", w.Metadata.Name, i)
		out = append(out, labels)
	}
	return out
}

// selectedBy reports whether s selects any pod of w.
func (w workload) selectedBy(s labelSelector) bool {
	return slices.ContainsFunc(w.podLabels(), s.matches)
}
