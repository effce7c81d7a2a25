// Package deploy holds how Visite is shipped and run: the container image
// (Dockerfile), the Docker Compose file and the Kubernetes manifests (k8s/,
// a kustomize base with dev and prod overlays). It has no code of its own;
// its tests check those files against each other and against Visite's
// configuration table in the README.
package deploy
