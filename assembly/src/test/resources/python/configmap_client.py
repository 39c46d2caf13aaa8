"""Drives capstan with the official Kubernetes Python client: create, list, watch, delete.

Usage: /usr/bin/python3 configmap_client.py KUBECONFIG
Prints one line per step and exits non-zero on the first failure.
"""
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def main(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    print("version", client.VersionApi().get_code().git_version)

    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm", labels={"from": "python"}),
                              data={"greeting": "hello"})
    created = v1.create_namespaced_config_map("default", body)
    print("created", created.metadata.name, created.metadata.resource_version)

    listed = v1.list_namespaced_config_map("default", label_selector="from=python")
    names = [i.metadata.name for i in listed.items]
    assert names == ["py-cm"], names
    print("listed", names)

    events = []
    w = watch.Watch()

    def change():
        created.data["greeting"] = "bonjour"
        v1.replace_namespaced_config_map("py-cm", "default", created)
        v1.delete_namespaced_config_map("py-cm", "default")

    threading.Timer(0.5, change).start()
    for ev in w.stream(v1.list_namespaced_config_map, "default", label_selector="from=python",
                       resource_version=listed.metadata.resource_version, allow_watch_bookmarks=True,
                       timeout_seconds=20):
        if ev["type"] == "BOOKMARK":
            continue
        events.append((ev["type"], ev["object"].metadata.name))
        if ev["type"] == "DELETED":
            w.stop()
    assert events == [("MODIFIED", "py-cm"), ("DELETED", "py-cm")], events
    print("watched", events)

    try:
        v1.read_namespaced_config_map("py-cm", "default")
        raise AssertionError("still there after delete")
    except ApiException as e:
        assert e.status == 404, e.status
    print("deleted")


if __name__ == "__main__":
    main(sys.argv[1])
