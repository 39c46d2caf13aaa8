"""Strategic merge patch on deployments/scale with the official Python client.

Usage: /usr/bin/python3 scale_patch.py KUBECONFIG
"""
import sys

from kubernetes import client, config


def main(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    apps = client.AppsV1Api()
    body = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "py-web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "py-web"}},
                 "template": {"metadata": {"labels": {"app": "py-web"}},
                              "spec": {"containers": [{"name": "web", "image": "registry.local:5000/web:1"}]}}},
    }
    apps.create_namespaced_deployment("default", body)
    scale = apps.patch_namespaced_deployment_scale("py-web", "default", {"spec": {"replicas": 3}})
    assert scale.spec.replicas == 3, scale
    assert apps.read_namespaced_deployment("py-web", "default").spec.replicas == 3
    print("scaled", scale.spec.replicas)


if __name__ == "__main__":
    main(sys.argv[1])
