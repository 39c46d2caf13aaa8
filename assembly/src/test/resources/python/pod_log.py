"""Reads a pod's log with the official Kubernetes Python client (read_namespaced_pod_log).

Usage: /usr/bin/python3 pod_log.py KUBECONFIG POD CONTAINER
Prints the log text as the client returns it.
"""
import sys

from kubernetes import client, config


def main(kubeconfig, pod, container):
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    sys.stdout.write(v1.read_namespaced_pod_log(pod, "default", container=container, tail_lines=2))


if __name__ == "__main__":
    main(*sys.argv[1:4])
