/**
 * Test helpers of the node agent shared with other modules' tests (through the node-agent
 * test-jar): {@link io.capstan.node.testing.TestImages} builds busybox images in every format the
 * image store imports.
 */
package io.capstan.node.testing;
