/**
 * Test helpers of the node agent, shared with other modules' tests through the node-agent
 * test-jar: {@link io.capstan.node.testing.TestImages} builds busybox images in every format the
 * image store imports; the test doubles of the engine behind {@code io.capstan.node.cri} (a
 * faithful fake container runtime and image service) and the contract every
 * {@code ContainerRuntime} must meet.
 */
package io.capstan.node.testing;
