package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad input to {@code capstan server}'s node agent, each a clear answer in kubectl (root only): a
 * command that does not exist (RunContainerError with the exec error), a missing image
 * (ErrImageNeverPull; ErrImagePull then ImagePullBackOff), a memory limit too low for a container
 * to start (FailedCreatePodSandBox, the pod stays Pending, the agent goes on); and nothing of
 * capstan's remains after the pods are deleted. A tarball that is not an image: ImageCommandE2E.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeBadInputE2E extends NodeHostE2E {
  @Test
  @Order(1)
  void aCommandThatDoesNotExistIsRunContainerError() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: nocmd}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [no-such-cmd, --flag]
          """);
    host.await("RunContainerError", () -> host.get("pod", "nocmd",
        "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("RunContainerError"));
    String message = host.get("pod", "nocmd", "{.status.containerStatuses[0].state.waiting.message}");
    assertTrue(message.contains("exec \"no-such-cmd\"") && message.contains("No such file or directory"), message);
  }

  @Test
  @Order(2)
  void aMissingImageIsErrImageNeverPullOrErrImagePullThenBackOff() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: never}
        spec:
          containers:
          - name: main
            image: missing:1
            imagePullPolicy: Never
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: pull}
        spec:
          containers:
          - name: main
            image: missing:1
          """);
    host.await("ErrImageNeverPull", () -> host.get("pod", "never",
        "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("ErrImageNeverPull"));
    assertEquals("Container image \"missing:1\" is not present with pull policy of Never",
        host.get("pod", "never", "{.status.containerStatuses[0].state.waiting.message}"));
    host.await("ImagePullBackOff", () -> host.get("pod", "pull", "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("ImagePullBackOff"));
    host.await("ErrImagePull came first, as an event", () -> host.events("pull").contains("Error: ErrImagePull"));
    assertTrue(host.events("pull").contains("Error: ImagePullBackOff"), host.events("pull"));
    assertTrue(host.kubectl.run("get", "pods", "never", "pull").out().contains("ErrImageNeverPull"));
  }

  @Test
  @Order(3)
  void aMemoryLimitTooLowToStartIsAClearError() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: tiny}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
            resources:
              limits: {memory: 1Mi}
          """);
    // As kubelet: the pod cgroup (the pod's limit is its container's) cannot hold a sandbox, so
    // the pod stays Pending, its container waits in ContainerCreating, and a FailedCreatePodSandBox
    // event says why.
    host.await("a FailedCreatePodSandBox event", () -> host.events("tiny").contains("Failed to create pod sandbox: "));
    assertTrue(host.events("tiny").contains("memory limit of pod 1048576 bytes is below the minimum"),
        host.events("tiny"));
    assertEquals("Pending ContainerCreating", host.get("pod", "tiny",
        "{.status.phase} {.status.containerStatuses[0].state.waiting.reason}"));
    assertTrue(host.kubectl.run("get", "events", "--field-selector", "involvedObject.name=tiny", "-o",
        "jsonpath={.items[*].reason}").out().contains("FailedCreatePodSandBox"));
    // The agent goes on: a good pod still starts.
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: after-bad}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    host.await("a good pod still runs", () -> host.get("pod", "after-bad", "{.status.phase}").equals("Running"));
    host.pids.add(host.pid("after-bad", "main"));
  }

  @Test
  @Order(100)
  void afterDeletingAllPodsNothingOfCapstansRemains() throws Exception {
    host.assertNothingLeftAfterDeletingAllPods(1);
  }
}
