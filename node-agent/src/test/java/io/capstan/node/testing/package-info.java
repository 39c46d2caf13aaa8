/**
 * Test doubles of the engine behind {@code io.capstan.node.cri}: a faithful fake container
 * runtime and image service, and the contract every {@code ContainerRuntime} must meet.
 */
package io.capstan.node.testing;
